#!/usr/bin/env python3
"""A tiny, deliberately partial Flash socket-policy check behind the `xdpolicy conform` protocol.
Run: xdpolicy conform --impl "python3 docs/examples/conform_adapter.py" --filter flash/sockets"""
import json, sys, xml.etree.ElementTree as ET
from urllib.parse import urlsplit

def decide(req):
    if req["client"] != "flash" or not req["target"].startswith("socket://"):
        return {"skip": "only Flash socket connections are implemented"}
    target, origin = urlsplit(req["target"]), urlsplit(req["origin"])
    answer = req["world"].get("xmlsocket://%s:843" % target.hostname)  # no key normalisation
    if answer is None or "error" in answer:
        return {"decision": "deny"}
    try:  # a socket policy ends at the first NUL
        root = ET.fromstring(answer.get("body", "").split("\0")[0])
    except ET.ParseError:
        return {"decision": "deny"}
    for rule in root.iter("allow-access-from") if root.tag == "cross-domain-policy" else []:
        ports = rule.get("to-ports", "").split(",")  # no ranges like 1000-2000
        if rule.get("domain") in ("*", origin.hostname) and ("*" in ports or str(target.port) in ports):
            return {"decision": "allow"}
    return {"decision": "deny"}

for line in sys.stdin:
    request = json.loads(line)
    try:
        answer = decide(request)
    except Exception as e:  # a bug of ours: say so for this case, keep going
        answer = {"error": repr(e)}
    answer["id"] = request["id"]
    print(json.dumps(answer), flush=True)
