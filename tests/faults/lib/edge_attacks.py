#!/usr/bin/env python3
"""What an anonymous caller can throw at a node's public HTTP port, for tests/faults/attacks.sh.

  slow-clients HOST PORT --connections=N --hold=S
      Opens N connections that send a request's headers a byte at a time, never finishing
      them, and keeps them trickling for up to S seconds. Meanwhile a normal client asks
      GET --probe-path three times, each with a 10 s timeout (answered: any status below 500).
      Prints one JSON line: how many normal requests were answered, and how many slow
      connections the server closed before S seconds were up. Exit 0 when every normal
      request was answered and the server closed every slow connection; 1 otherwise.

  big-body HOST PORT --path=P --megabytes=M
      Sends POST P with a Content-Length of M MiB and streams zeros until the server answers or
      closes. Prints one JSON line: the status the server answered (0 if it closed without one)
      and how many bytes were sent. Exit 0 when the server answered 413 or closed having read
      well under M MiB; 1 when it read the whole body.

Only the standard library: it runs wherever the fault scripts do.
"""
import argparse
import json
import socket
import sys
import threading
import time


def read_status(sock, timeout):
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
    except (socket.timeout, ConnectionError):
        pass
    line = data.split(b"\r\n", 1)[0].split()
    return int(line[1]) if len(line) >= 2 and line[1].isdigit() else 0


def normal_get(host, port, path):
    try:
        with socket.create_connection((host, port), timeout=10) as sock:
            sock.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n".encode())
            return read_status(sock, 10)
    except OSError:
        return 0


def slow_clients(args):
    closed = []
    lock = threading.Lock()
    deadline = time.monotonic() + args.hold

    def trickle(index):
        try:
            sock = socket.create_connection((args.host, args.port), timeout=5)
        except OSError:
            with lock:
                closed.append(index)  # refused outright: the server is protecting itself
            return
        header = f"GET /slow-{index} HTTP/1.1\r\nHost: x\r\nX-Slow: " + "a" * 10000
        try:
            for byte in header.encode():
                if time.monotonic() > deadline:
                    return
                sock.sendall(bytes([byte]))
                time.sleep(0.5)
        except OSError:
            with lock:
                closed.append(index)
        finally:
            sock.close()

    threads = [threading.Thread(target=trickle, args=(i,), daemon=True) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    time.sleep(2)  # every slow connection is open and has started its headers
    answered = sum(1 for _ in range(3) if 0 < normal_get(args.host, args.port, args.probe_path) < 500)
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()) + 1)
    print(json.dumps({"normal_answered": answered, "slow_connections": args.connections,
                      "slow_closed_by_server": len(closed)}))
    return 0 if answered == 3 and len(closed) == args.connections else 1


def big_body(args):
    total = args.megabytes << 20
    sent = 0
    status = 0
    chunk = b"\0" * (1 << 20)
    try:
        with socket.create_connection((args.host, args.port), timeout=30) as sock:
            sock.sendall(f"POST {args.path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
                         f"Content-Length: {total}\r\nConnection: close\r\n\r\n".encode())
            sock.settimeout(30)
            while sent < total:
                try:
                    sock.sendall(chunk)
                except OSError:
                    break
                sent += len(chunk)
            status = read_status(sock, 30)
    except OSError:
        pass
    print(json.dumps({"status": status, "bytes_sent": sent, "body_bytes": total}))
    refused = status == 413 or (status == 0 and sent < total)
    return 0 if refused else 1


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    slow = sub.add_parser("slow-clients")
    slow.add_argument("host")
    slow.add_argument("port", type=int)
    slow.add_argument("--connections", type=int, default=50)
    slow.add_argument("--hold", type=float, default=40)
    slow.add_argument("--probe-path", default="/")
    big = sub.add_parser("big-body")
    big.add_argument("host")
    big.add_argument("port", type=int)
    big.add_argument("--path", default="/verify")
    big.add_argument("--megabytes", type=int, default=400)
    args = parser.parse_args()
    return slow_clients(args) if args.command == "slow-clients" else big_body(args)


if __name__ == "__main__":
    sys.exit(main())
