import ArgumentParser
import BitTorrent
import Live

/// `--listen ADDRESS` and `--encryption MODE` of `live seed` and `live get`: which local
/// IPv4 address accepts connections, so a Live peer can face clients on another address
/// or host, and how connections use message stream encryption (docs/live.md).
struct LiveConnectionOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "IPv4 address to listen on: 127.0.0.1 (the default) keeps the peer on this machine, 0.0.0.0 listens on every interface.",
            valueName: "ADDRESS"))
    var listen = "127.0.0.1"

    @Option(
        help: ArgumentHelp(
            "Message stream encryption: offer (the default: dial encrypted, offering RC4 or plaintext after the handshake, dial again plain if refused; accept both), require (RC4 only, both ways), plain (none, both ways).",
            valueName: "MODE"))
    var encryption: EncryptionPolicy = .offer

    /// The address as a 32-bit integer, checked where it enters.
    func address() throws -> UInt32 {
        guard let address = PeerAddress(dottedQuad: listen, port: 0) else {
            throw BadInput(
                description: "--listen: expected an IPv4 address such as 127.0.0.1 or 0.0.0.0, got \(listen)")
        }
        return address.ipv4
    }
}

extension EncryptionPolicy: ExpressibleByArgument {}
