#!/usr/bin/python3
"""A libtorrent peer for btsim's interoperability tests (Debian's python3-libtorrent).

  libtorrent_peer.py seed TORRENT DATA_DIR            prints "port N", seeds until killed
                                                      (or for 5 minutes at most)
  libtorrent_peer.py get TORRENT OUT_DIR [HOST:PORT]   exits 0 once the download is complete;
                                                      without HOST:PORT, peers come from the
                                                      torrent's tracker
  libtorrent_peer.py crowd TORRENT OUT_DIR HOST:PORT COUNT RATE SECONDS
                                                      COUNT downloaders (one session each,
                                                      download limited to RATE bytes/s) dial
                                                      HOST:PORT; for SECONDS, every 100 ms, each
                                                      prints a JSON line when that peer's
                                                      choke of it changes: {"t", "wall"
                                                      (seconds since the epoch), "leecher",
                                                      "local" (its ip:port as the peer sees it),
                                                      "unchoked"}; then prints
                                                      {"t", "wall", "downloaded": bytes per
                                                      leecher}

Only TCP on 127.0.0.1: DHT, local discovery, UPnP, NAT-PMP and uTP are off, plaintext is
allowed, and several connections from one IP are accepted (every peer is 127.0.0.1).
With BTSIM_REQUIRE_ENCRYPTION=1 in the environment, seed and get take only RC4-encrypted
connections, incoming and outgoing (libtorrent's forced policies, RC4 level).
"""
import os
import json
import signal
import sys
import time

import libtorrent as lt


def session():
    if os.environ.get("BTSIM_REQUIRE_ENCRYPTION") == "1":
        # pe_forced (0) both ways, allowed_enc_level pe_rc4 (2).
        encryption = {"out_enc_policy": 0, "in_enc_policy": 0, "allowed_enc_level": 2, "prefer_rc4": True}
    else:
        encryption = {"out_enc_policy": 2, "in_enc_policy": 1}
    return lt.session(dict({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.peer_notification,
    }, **encryption))


def rate_limited_session(rate):
    """A session whose download is limited to `rate` bytes/s, loopback peers included:
    libtorrent puts 127.0.0.1 in its local peer class, which limits do not apply to, so
    every address is mapped to the global class instead."""
    ses = session()
    ses.apply_settings({"download_rate_limit": rate})
    classes = lt.ip_filter()
    classes.add_rule("0.0.0.0", "255.255.255.255", 1 << lt.session.global_peer_class_id)
    ses.set_peer_class_filter(classes)
    return ses


def crowd(torrent, folder, peer, count, rate, seconds):
    host, port = peer.split(":")
    leechers = []
    for i in range(count):
        ses = rate_limited_session(rate)
        handle = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": "%s/%d" % (folder, i)})
        handle.connect_peer((host, int(port)))
        leechers.append((ses, handle))
    start = time.time()
    seen = [None] * count
    while time.time() - start < seconds:
        for i, (ses, handle) in enumerate(leechers):
            for p in handle.get_peer_info():
                if p.ip != (host, int(port)):
                    continue
                unchoked = not (p.flags & lt.peer_info.remote_choked)
                if seen[i] != unchoked:
                    seen[i] = unchoked
                    now = time.time()
                    print(json.dumps({"t": round(now - start, 3), "wall": round(now, 6), "leecher": i,
                                      "local": "%s:%d" % p.local_endpoint, "unchoked": unchoked}), flush=True)
        time.sleep(0.1)
    now = time.time()
    print(json.dumps({"t": round(now - start, 3), "wall": round(now, 6),
                      "downloaded": [h.status().total_done for _, h in leechers]}), flush=True)
    return 0


def main():
    # Foundation's Process starts children with most signals blocked, SIGTERM included:
    # unblock the ones the tests stop this peer with.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    mode, torrent, folder = sys.argv[1:4]
    if mode == "crowd":
        return crowd(torrent, folder, sys.argv[4], int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]))
    ses = session()
    handle = ses.add_torrent({"ti": lt.torrent_info(torrent), "save_path": folder})
    if mode == "seed":
        deadline = time.time() + 60
        while not handle.status().is_seeding:
            if time.time() > deadline:
                print("seed: data does not match the torrent", flush=True)
                return 1
            time.sleep(0.05)
        print("port %d" % ses.listen_port(), flush=True)
        time.sleep(300)
        return 0
    if len(sys.argv) > 4:
        host, port = sys.argv[4].split(":")
        handle.connect_peer((host, int(port)))
    deadline = time.time() + 60
    while time.time() < deadline:
        status = handle.status()
        if status.is_seeding:
            print("complete %d bytes" % status.total_wanted, flush=True)
            return 0
        for alert in ses.pop_alerts():
            print("alert: %s" % alert.message(), file=sys.stderr)
        time.sleep(0.05)
    print("timed out at %.1f %%" % (100 * handle.status().progress), flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
