#!/usr/bin/env python3
"""Holds N idle connections to a server, optionally after one keep-alive request on each.

Used by idle-memory.sh. Connections come from several loopback source addresses (127.0.0.1, .2, ...),
5,000 connections from each, so that TIME_WAIT leftovers of earlier rounds never run a source out of ports.
Prints 'ready N' once all are open (and answered), then waits for a line on stdin and closes them.
"""
import socket
import sys
import time

host, port, count, mode = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
path = sys.argv[5] if len(sys.argv) > 5 else "/small.bin"
PER_SOURCE = 5000
deadline = time.monotonic() + 300
socks = []
request = ("GET %s HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: idle-memory\r\nAccept: */*\r\n\r\n" % (path, host, port)).encode()


def read_response(s):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(65536)
        if not chunk:
            raise IOError("closed before the head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise IOError("closed in the body")
        body += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise IOError("unexpected status: %r" % head[:40])


for i in range(count):
    if time.monotonic() > deadline:
        sys.exit("idle_clients: took too long")
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind(("127.0.0.%d" % (1 + i // PER_SOURCE), 0))
    s.settimeout(30)
    s.connect((host, port))
    socks.append(s)
    if mode == "request":
        s.sendall(request)
        read_response(s)
# every connection is accepted before the figure is read: a last round trip on the last one
if mode == "idle":
    last = socket.create_connection((host, port), timeout=30)
    last.sendall(request)
    read_response(last)
    last.close()
print("ready %d" % len(socks), flush=True)
sys.stdin.readline()
for s in socks:
    s.close()
