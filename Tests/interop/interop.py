#!/usr/bin/env python3
"""btsim against the BitTorrent clients Debian ships, over 127.0.0.1 (`make interop`).

  interop.py BTSIM OUT_DIR [--size BYTES] [--only CLIENT ...]

For each client (libtorrent through python3-libtorrent, aria2, Transmission's
transmission-cli, ctorrent) and each direction (btsim seeds and the client downloads;
the client seeds and btsim downloads), one transfer of a random file of --size bytes
(default 8 MiB). A row passes only when the downloader exits or reports completion
within the time limit and the SHA-256 of what it wrote equals the source's.

Each pair runs twice where the client has message stream encryption: with both sides'
defaults (btsim offers encryption and falls back to plain; the client does as it
does), and with both sides requiring RC4 (btsim --encryption require, which refuses
plain handshakes and offers only RC4, so a passing row was encrypted throughout).
ctorrent has no encryption: its rows are the default ones only.

Peers find each other through btsim's own tracker (`btsim live tracker`), except where
a client takes no tracker peers on 127.0.0.1 (Transmission treats loopback addresses as
invalid peers): there the seed dials the downloader (`live seed --peer`), or btsim's
downloader dials the seed (`live get --peer`). ctorrent refuses every connection from
its own IP address ("Connection from myself"), so it listens on 127.0.0.2, which Linux
routes over loopback too.

Writes OUT_DIR/interop.csv (client, version, direction, encryption, result, seconds, note) and
prints the table; exits 1 when any row failed. docs/live.md has the latest table.
"""
import csv
import hashlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
LIBTORRENT_PEER = os.path.join(HERE, "..", "LiveTests", "libtorrent_peer.py")
# python3-libtorrent installs into Debian's own interpreter, which need not be first on PATH.
DEBIAN_PYTHON = "/usr/bin/python3"
LIMIT = 120  # seconds per transfer: a stall, not a slow run, is what this catches
CLIENTS = ["libtorrent", "aria2", "transmission", "ctorrent"]
ENCRYPTING = {"libtorrent", "aria2", "transmission"}
# What makes each client take only RC4-encrypted connections, both ways.
REQUIRE_ENCRYPTION = {"aria2": ["--bt-require-crypto=true", "--bt-min-crypto-level=arc4"], "transmission": ["-er"]}
# Where each client listens (see above for ctorrent).
HOST = {"ctorrent": "127.0.0.2"}
CTORRENT_ADDRESS = ["-i", "127.0.0.2", "-I", "127.0.0.2"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, seconds=30, host="127.0.0.1"):
    deadline = time.time() + seconds
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex((host, port)) == 0:
                return True
        time.sleep(0.1)
    return False


def sha256(path):
    if not os.path.exists(path):
        return None
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def stop(process):
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def version(client):
    commands = {
        "libtorrent": [DEBIAN_PYTHON, "-c", "import libtorrent; print(libtorrent.__version__)"],
        "aria2": ["aria2c", "--version"],
        "transmission": ["transmission-cli", "--version"],
        "ctorrent": ["ctorrent", "-h"],
    }
    try:
        done = subprocess.run(commands[client], capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as e:
        return None, str(e)
    text = (done.stdout + done.stderr).strip().splitlines()
    first = text[0] if text else ""
    if client == "libtorrent":
        return first, ""
    if client == "aria2":
        return first.replace("aria2 version ", ""), ""
    if client == "transmission":
        return first.split(" ")[1] if " " in first else first, ""
    return first.split()[2] if first.startswith("Enhanced CTorrent") else first, ""


class Matrix:
    def __init__(self, btsim, out, size):
        self.btsim = os.path.abspath(btsim)
        self.out = os.path.abspath(out)
        shutil.rmtree(self.out, ignore_errors=True)
        os.makedirs(self.out)
        self.source = os.path.join(self.out, "file.bin")
        with open(self.source, "wb") as f:
            f.write(os.urandom(size))
        self.digest = sha256(self.source)
        self.encrypted = False  # set per row: both sides require RC4
        self.tracker_port = free_port()
        self.tracker = subprocess.Popen(
            [self.btsim, "live", "tracker", "--port", str(self.tracker_port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if not wait_listening(self.tracker_port):
            raise SystemExit("btsim live tracker did not start")
        self.torrent = os.path.join(self.out, "file.torrent")
        subprocess.run(
            [self.btsim, "live", "make-torrent", self.source, "-o", self.torrent, "--piece-size", "256KiB",
             "--tracker", "http://127.0.0.1:%d/announce" % self.tracker_port],
            check=True, stdout=subprocess.DEVNULL)

    def close(self):
        stop(self.tracker)

    def folder(self, name):
        path = os.path.join(self.out, name)
        os.makedirs(path, exist_ok=True)
        return path

    def log(self, name):
        return open(os.path.join(self.out, name + ".log"), "w")

    # --- the client's side -------------------------------------------------------------

    def client_get(self, client, folder, seed_port, port, log):
        """Starts the client downloading into `folder`; returns (process, done) where
        done() tells whether it has finished."""
        if client == "libtorrent":
            p = subprocess.Popen(
                [DEBIAN_PYTHON, LIBTORRENT_PEER, "get", self.torrent, folder, "127.0.0.1:%d" % seed_port],
                stdout=log, stderr=subprocess.STDOUT, env=self.libtorrent_env())
            return p, lambda: p.poll() is not None
        if client == "aria2":
            p = subprocess.Popen(
                ["aria2c", "-d", folder, "--seed-time=0", "--listen-port=%d" % port, "--bt-enable-lpd=false",
                 "--enable-dht=false", "--enable-peer-exchange=false", "--summary-interval=0",
                 "--console-log-level=notice", "--file-allocation=none"] + self.client_flags(client) + [self.torrent],
                stdout=log, stderr=subprocess.STDOUT)
            return p, lambda: p.poll() is not None
        if client == "transmission":
            flag = folder + ".done"  # one per row: a flag left by an earlier row would end this one
            script = self.finish_script(flag)
            p = subprocess.Popen(
                ["transmission-cli", "-g", self.transmission_config(), "-w", folder, "-p", str(port), "-M",
                 "-f", script] + self.client_flags(client) + [self.torrent],
                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, HOME=self.folder("home")))
            return p, lambda: os.path.exists(flag) or p.poll() is not None
        if client == "ctorrent":
            p = subprocess.Popen(
                ["ctorrent", "-e", "0", "-p", str(port)] + CTORRENT_ADDRESS + ["-s", os.path.join(folder, "file.bin"), "-b",
                 os.path.join(folder, "file.bf"), self.torrent],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder)
            return p, lambda: p.poll() is not None
        raise ValueError(client)

    def client_seed(self, client, folder, port, log):
        """Starts the client seeding the file from `folder`; returns (process, port)."""
        shutil.copy(self.source, os.path.join(folder, "file.bin"))
        if client == "libtorrent":
            p = subprocess.Popen(
                [DEBIAN_PYTHON, LIBTORRENT_PEER, "seed", self.torrent, folder], stdout=subprocess.PIPE,
                stderr=log, text=True, env=self.libtorrent_env())
            line = p.stdout.readline()
            return p, int(line.split()[-1])
        if client == "aria2":
            p = subprocess.Popen(
                ["aria2c", "-d", folder, "-V", "--seed-ratio=0.0", "--listen-port=%d" % port,
                 "--bt-enable-lpd=false", "--enable-dht=false", "--enable-peer-exchange=false",
                 "--summary-interval=0", "--console-log-level=notice"] + self.client_flags(client) + [self.torrent],
                stdout=log, stderr=subprocess.STDOUT)
            return p, port
        if client == "transmission":
            p = subprocess.Popen(
                ["transmission-cli", "-g", self.transmission_config(), "-w", folder, "-p", str(port), "-M"]
                + self.client_flags(client) + [self.torrent],
                stdout=log, stderr=subprocess.STDOUT, env=dict(os.environ, HOME=self.folder("home")))
            return p, port
        if client == "ctorrent":
            p = subprocess.Popen(
                ["ctorrent", "-e", "1", "-p", str(port)] + CTORRENT_ADDRESS + ["-s", os.path.join(folder, "file.bin"), "-b",
                 os.path.join(folder, "file.bf"), self.torrent],
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=folder)
            return p, port
        raise ValueError(client)

    def client_flags(self, client):
        return REQUIRE_ENCRYPTION.get(client, []) if self.encrypted else []

    def libtorrent_env(self):
        return dict(os.environ, BTSIM_REQUIRE_ENCRYPTION="1" if self.encrypted else "0")

    def btsim_flags(self):
        return ["--encryption", "require"] if self.encrypted else []

    def name(self, client, role):
        return "%s-%s%s" % (client, role, "-rc4" if self.encrypted else "")

    def transmission_config(self):
        """A fresh configuration folder: no DHT, local discovery, PEX or port mapping."""
        folder = os.path.join(self.out, "transmission-config-%d" % free_port())
        os.makedirs(folder)
        with open(os.path.join(folder, "settings.json"), "w") as f:
            f.write('{"dht-enabled": false, "lpd-enabled": false, "pex-enabled": false, '
                    '"port-forwarding-enabled": false, "utp-enabled": false, "message-level": 2}')
        return folder

    def finish_script(self, flag):
        path = flag + ".sh"
        with open(path, "w") as f:
            f.write("#!/bin/sh\ntouch '%s'\n" % flag)
        os.chmod(path, 0o755)
        return path

    # --- the two directions --------------------------------------------------------------

    def btsim_seeds(self, client):
        name = self.name(client, "get")
        folder = self.folder(name)
        seed_port, client_port = free_port(), free_port()
        with self.log(name + "-btsim") as seed_log, self.log(name) as client_log:
            command = [self.btsim, "live", "seed", self.torrent, "--data", self.source, "--port", str(seed_port)]
            command += self.btsim_flags()
            dials = client == "transmission"
            start = time.time()
            if dials:
                # The seed dials the downloader once it listens (a refused dial would
                # only be retried a minute later).
                process, done = self.client_get(client, folder, seed_port, client_port, client_log)
                wait_listening(client_port)
                # Transmission listens before the torrent has started (its empty file is
                # still being checked) and drops handshakes for it until then.
                time.sleep(3)
                command += ["--peer", "127.0.0.1:%d" % client_port]
            seed = subprocess.Popen(command, stdout=seed_log, stderr=subprocess.STDOUT)
            try:
                if not wait_listening(seed_port):
                    return "failed", 0, "btsim seed did not listen"
                if not dials:
                    start = time.time()
                    process, done = self.client_get(client, folder, seed_port, client_port, client_log)
                try:
                    while not done() and time.time() - start < LIMIT:
                        time.sleep(0.1)
                    seconds = time.time() - start
                finally:
                    stop(process)
            finally:
                stop(seed)
        return self.verdict(os.path.join(folder, "file.bin"), seconds)

    def client_seeds(self, client):
        name = self.name(client, "seed")
        folder = self.folder(name)
        with self.log(name) as client_log, self.log(name + "-btsim") as get_log:
            process, port = self.client_seed(client, folder, free_port(), client_log)
            try:
                host = HOST.get(client, "127.0.0.1")
                if not wait_listening(port, host=host):
                    return "failed", 0, "%s did not listen on %s:%d" % (client, host, port)
                # The client hashes the file before it serves it; give it a moment so that
                # btsim's first connection finds a seed rather than a peer with nothing.
                time.sleep(2)
                into = self.folder(name + "-btsim-out")
                start = time.time()
                try:
                    done = subprocess.run(
                        [self.btsim, "live", "get", self.torrent, "--peer", "%s:%d" % (host, port), "--out", into]
                        + self.btsim_flags(),
                        stdout=get_log, stderr=subprocess.STDOUT, timeout=LIMIT)
                    note = "" if done.returncode == 0 else "btsim get exited %d" % done.returncode
                except subprocess.TimeoutExpired:
                    note = "no completion in %d s" % LIMIT
                seconds = time.time() - start
            finally:
                stop(process)
        result, seconds, why = self.verdict(os.path.join(into, "file.bin"), seconds)
        return result, seconds, note or why

    def verdict(self, path, seconds):
        got = sha256(path)
        if got == self.digest:
            return "passed", seconds, ""
        return "failed", seconds, "no file" if got is None else "SHA-256 differs"


def main(argv):
    args = list(argv)
    size = 8 << 20
    only = None
    if "--size" in args:
        i = args.index("--size")
        size = int(args[i + 1])
        del args[i:i + 2]
    if "--only" in args:
        i = args.index("--only")
        only = args[i + 1:]
        del args[i:]
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    btsim, out = args
    clients = [c for c in CLIENTS if only is None or c in only]
    matrix = Matrix(btsim, out, size)
    rows = []
    try:
        for client in clients:
            found, why = version(client)
            for encrypted in [False, True] if client in ENCRYPTING else [False]:
                matrix.encrypted = encrypted
                encryption = "RC4 required" if encrypted else "default"
                for direction, run in [("btsim seeds, %s gets" % client, matrix.btsim_seeds),
                                       ("%s seeds, btsim gets" % client, matrix.client_seeds)]:
                    if found is None:
                        result, seconds, note = "failed", 0, "not installed: " + why
                    else:
                        result, seconds, note = run(client)
                    rows.append({"client": client, "version": found or "", "direction": direction,
                                 "encryption": encryption, "result": result, "seconds": "%.1f" % seconds,
                                 "note": note})
                    print("%-13s %-10s %-36s %-13s %-7s %6.1f s  %s"
                          % (client, found or "-", direction, encryption, result, seconds, note), flush=True)
    finally:
        matrix.close()
    with open(os.path.join(matrix.out, "interop.csv"), "w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["client", "version", "direction", "encryption", "result", "seconds", "note"])
        writer.writeheader()
        writer.writerows(rows)
    failed = [r for r in rows if r["result"] != "passed"]
    print("interop: %d of %d transfers passed (%d MiB, SHA-256 checked); logs in %s"
          % (len(rows) - len(failed), len(rows), size >> 20, matrix.out))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
