// atob/btoa, not Buffer: the library also runs in browsers (Angular apps), where Buffer does not exist.

/** Standard base64 of bytes. @internal */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** The bytes of standard base64; throws on characters outside the alphabet. @internal */
export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Base64 of a string's UTF-8 bytes. @internal */
export function textToBase64(text: string): string {
  return bytesToBase64(new TextEncoder().encode(text));
}
