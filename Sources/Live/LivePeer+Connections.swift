import BitTorrent
import NIOCore
import NIOPosix

/// How a Live peer's connections are set up: the pipeline of an accepted one, dialing
/// with or without message stream encryption, and the fallback to plain when an
/// encryption handshake fails (docs/live.md). The client sees a connection only once its
/// stream is ready, so encryption is invisible to it.
extension LivePeer {
    /// An accepted connection: the encryption handler tells an encrypted handshake from a
    /// plain one; the BitTorrent side registers the connection when it becomes active.
    func setUpIncoming(_ channel: Channel) throws {
        let encryption = EncryptionHandler(
            initiator: false, infoHash: metainfo.infoHash, policy: configuration.encryption,
            established: { _, _ in },
            failed: { [self] reason in
                log("\(channel.remoteAddress.map { "\($0)" } ?? "peer"): \(reason); closing the connection")
            })
        try channel.pipeline.syncOperations.addHandlers([encryption, PeerHandler(peer: self, outgoing: nil)])
    }

    func connect(_ address: PeerAddress) {
        connect(address, encrypting: configuration.encryption.offered != nil && !plainOnly.contains(address))
    }

    /// Dials an IPv4 address as it is: no name resolution, whose thread could outlive the
    /// event loop and report to it after shutdown (seen as NIO's "Cannot schedule tasks"
    /// error when a finished download stopped while a redial was resolving).
    private func connect(_ address: PeerAddress, encrypting: Bool) {
        guard let remote = try? SocketAddress(ipAddress: address.host, port: Int(address.port)) else {
            log("cannot connect to \(address): not an IPv4 address")
            loop.execute { [self] in call { c, now, out in c.connectFailed(to: address, now: now, out: &out) } }
            return
        }
        let infoHash = metainfo.infoHash
        let policy = configuration.encryption
        ClientBootstrap(group: loop)
            .connectTimeout(.seconds(5))
            .channelInitializer { [self] channel in
                guard encrypting else { return channel.eventLoop.makeSucceededVoidFuture() }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(
                        EncryptionHandler(
                            initiator: true, infoHash: infoHash, policy: policy,
                            established: { [self] _, _ in attach(channel, to: address) },
                            failed: { [self] reason in encryptionFailed(with: address, reason) }))
                }
            }
            .connect(to: remote)
            .whenComplete { [self] result in
                switch result {
                case .success(let channel):
                    if stopping {
                        channel.close(promise: nil)
                    } else if !encrypting {
                        attach(channel, to: address)
                    }  // else the encryption handler attaches it once its handshake is done
                case .failure(let error):
                    guard !stopping else { return }
                    log("cannot connect to \(address): \(error)")
                    call { c, now, out in c.connectFailed(to: address, now: now, out: &out) }
                }
            }
    }

    /// The stream is ready: the client gets the connection (and sends its handshake).
    private func attach(_ channel: Channel, to address: PeerAddress) {
        guard !stopping, let id = open(channel, to: address, outgoing: true) else {
            channel.close(promise: nil)
            return
        }
        try? channel.pipeline.syncOperations.addHandler(PeerHandler(peer: self, outgoing: id))
    }

    private func encryptionFailed(with address: PeerAddress, _ reason: String) {
        guard !stopping else { return }
        if configuration.encryption.fallsBackToPlain {
            log("\(address): \(reason); dialing again without encryption, now and later")
            plainOnly.insert(address)
            connect(address, encrypting: false)
        } else {
            log("cannot connect to \(address): \(reason)")
            call { c, now, out in c.connectFailed(to: address, now: now, out: &out) }
        }
    }
}
