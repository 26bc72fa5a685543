/// How a Live peer uses message stream encryption (`live seed|get --encryption`;
/// docs/live.md). Incoming connections are told apart by their first bytes: a plain
/// handshake starts with 19 and "BitTorrent protocol", anything else is taken for an
/// encryption handshake.
public enum EncryptionPolicy: String, CaseIterable, Sendable {
    /// No encryption either way, like libtorrent's `disabled` policy and clients without
    /// it (ctorrent): dials plain, closes a connection that opens with anything else.
    case plain
    /// The default, like Transmission's and aria2's: dials with an encryption handshake
    /// offering RC4 and plaintext, and dials again plain if the remote does not answer
    /// it; accepts both kinds, choosing RC4 when the initiator offers it.
    case offer
    /// Only RC4-encrypted streams, both ways: no fallback, plain handshakes refused.
    case require

    /// What an outgoing encryption handshake offers; nil: dial plain.
    var offered: MSEMethods? {
        switch self {
        case .plain: nil
        case .offer: [.plaintext, .rc4]
        case .require: .rc4
        }
    }

    /// What an incoming encryption handshake may select; empty: none is answered.
    var accepted: MSEMethods {
        switch self {
        case .plain: []
        case .offer: [.plaintext, .rc4]
        case .require: .rc4
        }
    }

    var acceptsPlainHandshake: Bool { self != .require }

    /// Dial again without encryption when an encryption handshake fails.
    var fallsBackToPlain: Bool { self == .offer }
}
