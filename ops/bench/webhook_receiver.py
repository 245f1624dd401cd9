#!/usr/bin/env python3
"""A webhook receiver for trying and benchmarking Aduan's deliveries: it verifies each Standard Webhooks signature
(the same few lines the README shows) and appends what it received to a JSON-lines file.

    python3 ops/bench/webhook_receiver.py --port 9009 --secret whsec_... --out received.jsonl [--status 204]
"""
import argparse, base64, hashlib, hmac, json, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def verify(secret, headers, body):
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, timestamp = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(timestamp)) > 300:
        return False
    signed = f"{msg_id}.{timestamp}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(hmac.compare_digest(s.split(",", 1)[1], expected) for s in headers["webhook-signature"].split(" "))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=9009)
    parser.add_argument("--secret", action="append", default=[], help="whsec_...; may be given more than once")
    parser.add_argument("--out", default="-")
    parser.add_argument("--status", type=int, default=204)
    args = parser.parse_args()
    lock = threading.Lock()
    out = sys.stdout if args.out == "-" else open(args.out, "a", buffering=1)

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            valid = not args.secret or any(verify(s, self.headers, body) for s in args.secret)
            with lock:
                out.write(json.dumps({"id": self.headers.get("webhook-id"), "valid": valid, "body": json.loads(body or b"{}")}) + "\n")
            self.send_response(args.status if valid else 401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *_):
            pass

    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
