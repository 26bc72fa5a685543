import ArgumentParser
import BitTorrent
import Foundation
import Live

/// `--events FILE` of `live seed` and `live get`: the peer's decisions as JSON lines.
struct LiveTraceOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Write what the peer does as JSON lines (t: seconds since start, event: one of \(Self.kinds), peer: ip:port), one per event, as it happens.",
            valueName: "FILE"))
    var events: String?

    /// The event names, from their one declaration.
    static let kinds = PeerEventKind.allCases.map(\.rawValue).joined(separator: ", ")

    /// A sink writing each event to the file, created or emptied now; nil without
    /// `--events`.
    func sink() throws -> (@Sendable (PeerEvent) -> Void)? {
        guard let events else { return nil }
        guard FileManager.default.createFile(atPath: events, contents: nil),
            let file = FileHandle(forWritingAtPath: events)
        else {
            throw BadInput(description: "--events: cannot write \(events)")
        }
        return { event in file.write(Data(event.jsonLine.utf8)) }
    }
}
