#!/usr/bin/env python3
"""Answer time of a normal request while a server holds idle and dripping connections (issue 17, item 3).

    bench/web/slowloris_probe.py PORT [IDLE=500] [DRIP=64] [SECONDS=10] [PATH=/api/events]

Opens IDLE connections that send nothing and DRIP connections that send a request line and then one
header line every 2 s, keeps them for SECONDS while timing one normal GET every half second (each with
a 30 s limit), and prints the worst and median answer times. Everything is closed on exit.
"""
import socket
import statistics
import sys
import time

port = int(sys.argv[1])
idle_n = int(sys.argv[2]) if len(sys.argv) > 2 else 500
drip_n = int(sys.argv[3]) if len(sys.argv) > 3 else 64
seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 10
path = sys.argv[5] if len(sys.argv) > 5 else "/api/events"


def connect():
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.setblocking(False)
    return s


idle = [connect() for _ in range(idle_n)]
drip = []
for _ in range(drip_n):
    s = connect()
    s.send(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
    drip.append(s)


def normal_get():
    t0 = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    return time.monotonic() - t0, ok


times, failures = [], 0
start = time.monotonic()
next_drip = start + 2
while time.monotonic() - start < seconds:
    if time.monotonic() >= next_drip:
        for s in drip:
            try:
                s.send(b"X-Drip: 1\r\n")
            except OSError:
                pass
        next_drip += 2
    t, ok = normal_get()
    times.append(t)
    failures += 0 if ok else 1
    time.sleep(0.5)
for s in idle + drip:
    s.close()
print(f"{idle_n} idle + {drip_n} dripping: {len(times)} normal requests, {failures} failed, "
      f"median {statistics.median(times) * 1000:.1f} ms, worst {max(times) * 1000:.1f} ms")
