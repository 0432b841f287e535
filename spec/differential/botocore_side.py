#!/usr/bin/env python3
"""botocore's side of the differential suite (spec/differential).

One long-lived process per test file, started by spec/differential/botocoreSide.ts
while moto_server is still starting: `python3 botocore_side.py`. It reads one JSON
request per line on stdin and answers each with one JSON line on stdout, so
Python, boto3 and each service's client start once per file, not per case.

Requests:
  {"op": "preload", "services": [...]}   ->  {}  (loads the service models meanwhile)
  {"op": "connect", "endpoint", "region"} -> {}
  {"op": "warm", "services": [...]}      ->  {}  (one read per service: moto loads its backend)
  {"op": "setUp", "steps": [Step, ...]}  ->  {"saved": {name: output, ...}}
  {"op": "run", "cases": [Case, ...]}    ->  {"results": [Result, ...]}

Step: {"service": "iam", "call": "CreateUser", "params": {...}, "save": "name"}
  A string param "${name.Path}" is the JMESPath Path over the output saved as
  "name" (the whole string only). A step that fails stops the set-up with
  {"error": "..."} naming it, unless it has "expectError": "<code>".

Case "paginate" (botocore's own Paginator):
  {"id", "kind": "paginate", "service", "operation", "input",
   "pageSize"?, "maxItems"?, "startingToken"?, "itemKey"?, "resume"?}
  -> {"id", "pages": [[item, ...], ...], "resumeToken": str | null, "calls": n, "resumed"?}
  Each page is its first result key's list (a missing key is []), each item
  projected by the JMESPath itemKey when given. With "resume", "resumed" are the
  pages of a second pagination from the resume token, with the same page size.

Case "wait" (botocore's own Waiter, or a waiter of the case's own "spec"):
  {"id", "kind": "wait", "service", "waiter", "spec"?, "input", "delay", "maxAttempts"}
  -> {"id", "outcome": "success" | "failure" | "timeout" | "error",
      "reason": str | null, "attempts": n, "lastCode": str | null}
  lastCode is the error code of the last response (botocore's Error.Code).

A case that raises anything else answers {"id", "error": "..."}.
"""
import base64
import datetime
import json
import re
import sys
import time
import traceback
import urllib.error
import urllib.request

import boto3
import jmespath
from botocore import xform_name
from botocore.config import Config
from botocore.exceptions import ClientError, WaiterError
from botocore.waiter import WaiterModel, create_waiter_with_client

SESSION = boto3.session.Session()
ENDPOINT, REGION = None, None
CONFIG = Config(
    retries={"total_max_attempts": 1},
    s3={"addressing_style": "path"},
    connect_timeout=30,
    read_timeout=60,
)
clients = {}
calls = []  # (operation, error code or None) of every call made, in order


def record(parsed, model, **_):
    calls.append((model.name, (parsed.get("Error") or {}).get("Code")))


def client(service):
    if service not in clients:
        made = SESSION.client(
            service,
            endpoint_url=ENDPOINT,
            region_name=REGION,
            aws_access_key_id="test",
            aws_secret_access_key="test",
            config=CONFIG,
        )
        made.meta.events.register("after-call", record)
        clients[service] = made
    return clients[service]


def plain(value):
    """JSON for what botocore parses: times as ISO strings, blobs as base64."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items() if k != "ResponseMetadata"}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, (datetime.datetime, datetime.date)):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray)):
        return base64.b64encode(value).decode()
    if hasattr(value, "read"):
        return None
    return value


REFERENCE = re.compile(r"^\$\{([A-Za-z0-9_]+)(?:\.(.+))?\}$")


def resolve(value, saved):
    if isinstance(value, dict):
        return {k: resolve(v, saved) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(v, saved) for v in value]
    if isinstance(value, str):
        match = REFERENCE.match(value)
        if match:
            name, path = match.groups()
            if name not in saved:
                raise KeyError(f"no saved output {name!r} for {value}")
            return jmespath.search(path, saved[name]) if path else saved[name]
    return value


def set_up(steps):
    saved = {}
    for index, step in enumerate(steps):
        params = resolve(step.get("params", {}), saved)
        try:
            output = getattr(client(step["service"]), xform_name(step["call"]))(**params)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") == step.get("expectError"):
                continue
            return {"error": f"step {index} {step['service']}.{step['call']}: {error}"}
        except Exception as error:
            return {"error": f"step {index} {step['service']}.{step['call']}: {type(error).__name__}: {error}"}
        if "expectError" in step:
            return {"error": f"step {index} {step['service']}.{step['call']}: expected {step['expectError']}"}
        if "save" in step:
            saved[step["save"]] = plain(output)
    return {"saved": saved}


def pages_of(case, **config):
    paginator = client(case["service"]).get_paginator(xform_name(case["operation"]))
    kwargs = dict(case.get("input", {}))
    config = {k: v for k, v in config.items() if v is not None}
    if config:
        kwargs["PaginationConfig"] = config
    iterator = paginator.paginate(**kwargs)
    pages = []
    for page in iterator:
        found = iterator.result_keys[0].search(page)
        found = [] if found is None else found
        if "itemKey" in case:
            found = [jmespath.search(case["itemKey"], item) for item in found]
        pages.append(plain(found))
    return pages, iterator.resume_token


def paginate(case):
    before = len(calls)
    size = case.get("pageSize")
    pages, token = pages_of(case, PageSize=size, MaxItems=case.get("maxItems"), StartingToken=case.get("startingToken"))
    result = {"pages": pages, "resumeToken": token, "calls": len(calls) - before}
    if case.get("resume") and token is not None:
        result["resumed"] = pages_of(case, PageSize=size, StartingToken=token)[0]
    return result


def wait(case):
    made = client(case["service"])
    if "spec" in case:
        model = WaiterModel({"version": 2, "waiters": {case["waiter"]: case["spec"]}})
        waiter = create_waiter_with_client(case["waiter"], model, made)
    else:
        waiter = made.get_waiter(xform_name(case["waiter"]))
    before = len(calls)
    outcome, reason = "success", None
    try:
        waiter.wait(**case.get("input", {}), WaiterConfig={"Delay": case["delay"], "MaxAttempts": case["maxAttempts"]})
    except WaiterError as error:
        reason = error.kwargs.get("reason", "")
        if reason.startswith("Max attempts exceeded"):
            outcome = "timeout"
        elif reason.startswith("Waiter encountered a terminal failure state"):
            outcome = "failure"
        else:
            outcome = "error"
    made_calls = calls[before:]
    return {
        "outcome": outcome,
        "reason": reason,
        "attempts": len(made_calls),
        "lastCode": made_calls[-1][1] if made_calls else None,
    }


def run(cases):
    results = []
    for case in cases:
        try:
            result = (paginate if case["kind"] == "paginate" else wait)(case)
        except Exception as error:  # a case's own failure is its result, not the batch's
            result = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=3)}
        results.append({"id": case["id"], **result})
    return {"results": results}


def preload(services):
    for service in services:
        SESSION._session.get_service_model(service)
    return {}


def warm(services):
    """moto imports a service's backend on its first request (seconds for SSM or
    SageMaker): one harmless read each, while the test file loads its modules."""
    for service in services:
        made = client(service)
        model = made.meta.service_model
        for name in model.operation_names:
            shape = model.operation_model(name).input_shape
            if name.startswith(("List", "Describe", "Get")) and not (shape and shape.required_members):
                try:
                    getattr(made, xform_name(name))()
                except Exception:
                    pass  # the backend is loaded whatever the answer
                break
    return {}


def connect(endpoint, region):
    """Points the clients at moto, once it answers: it may still be starting."""
    global ENDPOINT, REGION
    ENDPOINT, REGION = endpoint, region
    deadline = time.monotonic() + 150
    while True:
        try:
            with urllib.request.urlopen(f"{endpoint}/moto-api/", timeout=5):
                return {}
        except urllib.error.HTTPError:
            return {}  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def answer_to(request):
    op = request["op"]
    if op == "preload":
        return preload(request["services"])
    if op == "warm":
        return warm(request["services"])
    if op == "connect":
        return connect(request["endpoint"], request["region"])
    if op == "setUp":
        return set_up(request["steps"])
    return run(request["cases"])


def main():
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            answer = answer_to(request)
        except Exception as error:
            answer = {"error": f"{type(error).__name__}: {error}", "trace": traceback.format_exc(limit=5)}
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
