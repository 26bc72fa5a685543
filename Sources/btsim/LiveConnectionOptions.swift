import ArgumentParser
import BitTorrent
import Live
import Scenario

/// `--listen`, `--encryption` and the rate limits of `live seed` and `live get`: which
/// local IPv4 address accepts connections, so a Live peer can face clients on another
/// address or host; how connections use message stream encryption; and the upload and
/// download rates of the peer's link, as a scenario gives a simulated host's
/// (docs/live.md).
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

    @Option(
        help: ArgumentHelp(
            "Limit piece data sent, over all connections, to this rate (a token bucket), e.g. 8Mbit/s or 500KiB/s.",
            valueName: "RATE"))
    var maxUploadRate: String?

    @Option(
        help: ArgumentHelp(
            "Limit bytes received, over all connections, to this rate (reading pauses while over it), e.g. 2Mbit/s.",
            valueName: "RATE"))
    var maxDownloadRate: String?

    /// The limits in bytes per second, checked where they enter.
    func rates() throws -> (upload: Double?, download: Double?) {
        func parse(_ text: String?, _ option: String) throws -> Double? {
            guard let text else { return nil }
            switch CommandLineRate.bytesPerSecond(text) {
            case .success(let rate): return rate
            case .failure(let problem): throw BadInput(description: "\(option): \(problem)")
            }
        }
        return (try parse(maxUploadRate, "--max-upload-rate"), try parse(maxDownloadRate, "--max-download-rate"))
    }

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
