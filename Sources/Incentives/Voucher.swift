import Crypto
import Foundation

/// A promise to pay: "channel C owes its provider `cumulative` in total", signed by the
/// requester with Ed25519. Each new voucher supersedes the previous one, so the provider
/// only ever needs the last; the amount must grow, which is what defeats replay.
public struct Voucher: Sendable, Equatable {
    public var channel: UInt64
    public var cumulative: TokenAmount
    public var signature: Data

    public init(channel: UInt64, cumulative: TokenAmount, signature: Data) {
        self.channel = channel
        self.cumulative = cumulative
        self.signature = signature
    }

    /// The exact bytes signed: a domain tag, the channel and the amount, big-endian.
    public static func signedBytes(channel: UInt64, cumulative: TokenAmount) -> Data {
        var d = Data("btsim-voucher-v1".utf8)
        withUnsafeBytes(of: channel.bigEndian) { d.append(contentsOf: $0) }
        withUnsafeBytes(of: cumulative.baseUnits.bigEndian) { d.append(contentsOf: $0) }
        return d
    }

    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        key.isValidSignature(signature, for: Self.signedBytes(channel: channel, cumulative: cumulative))
    }
}

/// A requester's signing key.
public struct VoucherSigner: Sendable {
    private let key: Curve25519.Signing.PrivateKey
    public var publicKey: Curve25519.Signing.PublicKey { key.publicKey }

    public init() { key = Curve25519.Signing.PrivateKey() }

    /// A key derived from 32 seed bytes, for reproducible runs.
    public init(seed: [UInt8]) throws {
        key = try Curve25519.Signing.PrivateKey(rawRepresentation: seed)
    }

    public func sign(channel: UInt64, cumulative: TokenAmount) throws -> Voucher {
        let signature = try key.signature(for: Voucher.signedBytes(channel: channel, cumulative: cumulative))
        return Voucher(channel: channel, cumulative: cumulative, signature: signature)
    }
}
