#!/usr/bin/python3
"""A libtorrent peer for btsim's interoperability tests (Debian's python3-libtorrent).

  libtorrent_peer.py seed TORRENT DATA_DIR            prints "port N", seeds until killed
                                                      (or for 5 minutes at most)
  libtorrent_peer.py get TORRENT OUT_DIR [HOST:PORT]   exits 0 once the download is complete;
                                                      without HOST:PORT, peers come from the
                                                      torrent's tracker

Only TCP on 127.0.0.1: DHT, local discovery, UPnP, NAT-PMP and uTP are off, plaintext is
allowed, and several connections from one IP are accepted (every peer is 127.0.0.1).
"""
import signal
import sys
import time

import libtorrent as lt


def session():
    return lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "out_enc_policy": 2, "in_enc_policy": 1,
        "alert_mask": lt.alert.category_t.error_notification | lt.alert.category_t.peer_notification,
    })


def main():
    # Foundation's Process starts children with most signals blocked, SIGTERM included:
    # unblock the ones the tests stop this peer with.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
    mode, torrent, folder = sys.argv[1:4]
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
