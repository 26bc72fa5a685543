#!/usr/bin/env python3
"""One Live transfer over 127.0.0.1, timed: the loopback throughput of docs/live.md.

  live_transfer.py BTSIM DOWNLOADER WORK_DIR [--size MB] [--encryption MODE]
                   [--max-upload-rate RATE] [--max-download-rate RATE]

A btsim seed serves a file of --size MB (default 200) of random bytes in 256 KiB pieces
(made once in WORK_DIR and reused); DOWNLOADER is `btsim` (btsim live get) or
`libtorrent` (Tests/LiveTests/libtorrent_peer.py get, Debian's python3-libtorrent).
--encryption is passed to both btsim peers (offer, the default; require; plain),
--max-upload-rate to the seed and --max-download-rate to a btsim downloader; the line
printed gives the rate reached too.
Prints the seconds from the downloader's start to its exit and checks the SHA-256 of
what it wrote; exits 1 if the transfer failed.
"""
import hashlib
import os
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LIBTORRENT_PEER = os.path.join(HERE, "..", "Tests", "LiveTests", "libtorrent_peer.py")


def digest(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main(argv):
    args = list(argv)
    size, encryption, up, down = 200, "offer", [], []
    for flag in ["--size", "--encryption", "--max-upload-rate", "--max-download-rate"]:
        if flag in args:
            i = args.index(flag)
            value = args[i + 1]
            del args[i:i + 2]
            if flag == "--size":
                size = int(value)
            elif flag == "--encryption":
                encryption = value
            elif flag == "--max-upload-rate":
                up = [flag, value]
            else:
                down = [flag, value]
    if len(args) != 3 or args[1] not in ("btsim", "libtorrent"):
        print(__doc__, file=sys.stderr)
        return 2
    btsim, downloader, work = os.path.abspath(args[0]), args[1], os.path.abspath(args[2])
    os.makedirs(work, exist_ok=True)
    source = os.path.join(work, "file-%dMB.bin" % size)
    if not os.path.exists(source) or os.path.getsize(source) != size * 1000 * 1000:
        with open(source, "wb") as f:
            for _ in range(size):
                f.write(os.urandom(1000 * 1000))
    torrent = source + ".torrent"
    if not os.path.exists(torrent):
        subprocess.run([btsim, "live", "make-torrent", source, "-o", torrent, "--piece-size", "256KiB"],
                       check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, "out-%d" % os.getpid())
    os.makedirs(out)
    port = free_port()
    seed = subprocess.Popen([btsim, "live", "seed", torrent, "--data", source, "--port", str(port),
                             "--encryption", encryption] + up, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.time() + 30
        while time.time() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.02)
        if downloader == "btsim":
            command = [btsim, "live", "get", torrent, "--peer", "127.0.0.1:%d" % port, "--out", out,
                       "--encryption", encryption] + down
        else:
            command = ["/usr/bin/python3", LIBTORRENT_PEER, "get", torrent, out, "127.0.0.1:%d" % port]
        start = time.time()
        done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300)
        seconds = time.time() - start
    finally:
        seed.send_signal(signal.SIGINT)
        seed.wait(10)
    written = os.path.join(out, os.path.basename(source))
    ok = done.returncode == 0 and os.path.exists(written) and digest(written) == digest(source)
    subprocess.run(["rm", "-rf", out])
    print("%s %s %d MB encryption=%s%s: %.2f s, %.2f Mbit/s%s"
          % (os.path.basename(btsim), downloader, size, encryption, "".join(" " + a for a in up + down), seconds,
             size * 8 / seconds, "" if ok else " FAILED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
