#!/usr/bin/env python3
"""Prints the figures docs/differential.md gives about error codes, from the
service models of the machine's botocore (1.43.11):

  python3 spec/differential/botocore_census.py

- the error acceptors of botocore's waiters, and those whose code belongs to
  an exception of another name (the generator's `exceptions` entries);
- exceptions whose code is another exception's name (where comparing both
  names could decide differently from comparing the code);
- exceptions with a modelled member named Code or code (why an SDK v3
  exception's top-level Code is not read).
"""
import collections

import botocore.session


def main():
    session = botocore.session.get_session()
    loader = session.get_component("data_loader")
    acceptors, renamed, services = 0, [], set()
    crossed, members = [], collections.Counter()
    models = 0
    for service in session.get_available_services():
        model = loader.load_service_model(service, "service-2")
        models += 1
        protocol = model["metadata"].get("protocol")
        errors = {
            name: shape.get("error", {}).get("code", name)
            for name, shape in model["shapes"].items()
            if shape.get("exception") or "error" in shape
        }
        for name, code in errors.items():
            if code != name and code in errors and errors[code] != code:
                crossed.append(f"{service}: {name} has the code {code}, the name of another exception")
            for member in model["shapes"][name].get("members", {}):
                if member in ("Code", "code"):
                    members[protocol] += 1
        exception_of = {}
        for name, code in errors.items():
            exception_of.setdefault(code, name)
        try:
            waiters = loader.load_service_model(service, "waiters-2")["waiters"]
        except Exception:
            continue
        for waiter, spec in waiters.items():
            for acceptor in spec["acceptors"]:
                if acceptor["matcher"] != "error" or not isinstance(acceptor["expected"], str):
                    continue
                acceptors += 1
                code = acceptor["expected"]
                name = exception_of.get(code)
                if name is not None and name != code:
                    renamed.append(f"| {service} | {waiter} | `{code}` → `{name}` |")
                    services.add(service)
    print(f"{models} service models")
    print(f"{acceptors} error acceptors; {len(renamed)} over {len(services)} services name a code whose exception has another name:")
    print("\n".join(renamed))
    print(f"{len(crossed)} exceptions whose code is another exception's name" + (":\n" + "\n".join(crossed) if crossed else ""))
    print("exceptions with a modelled member Code or code, by protocol: " + ", ".join(f"{p} {n}" for p, n in sorted(members.items())))


if __name__ == "__main__":
    main()
