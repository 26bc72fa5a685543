/// Derives independent seeds from the master seed, per entity and purpose.
///
/// Each stream is keyed by (master, purpose, a, b) rather than drawn one after another
/// from a single generator, so adding a peer or a group does not shift any other peer's
/// draws. That is what makes runs reproducible piece by piece and what gives
/// `btsim compare` common random numbers across variants.
public enum SeedDerivation {
    /// SplitMix64's finaliser: a bijective mix with full avalanche.
    @inlinable
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The seed of the stream for `purpose` of entity (`a`, `b`), e.g. (group, ordinal).
    @inlinable
    public static func seed(master: UInt64, purpose: StreamPurpose, _ a: UInt64 = 0, _ b: UInt64 = 0) -> UInt64 {
        var h = mix(master)
        h = mix(h ^ UInt64(purpose.rawValue))
        h = mix(h ^ a)
        return mix(h ^ b)
    }

    /// A stable 64-bit key for a name (FNV-1a over its UTF-8 bytes). Swift's `Hasher` is
    /// seeded per process, so it cannot key reproducible streams.
    public static func key(_ name: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            h ^= UInt64(byte)
            h &*= 0x100_0000_01B3
        }
        return h
    }

    /// The seed of replication `run` (1-based). Run 1 uses the master seed itself, so any
    /// single run can be reproduced with `--seed <its seed> --replications 1`.
    public static func replicationSeed(master: UInt64, run: Int) -> UInt64 {
        run == 1 ? master : seed(master: master, purpose: .replication, UInt64(run))
    }
}

/// What a random stream is used for; part of the key that derives its seed.
public enum StreamPurpose: UInt32, Sendable {
    case replication = 1
    case arrivals
    case bandwidth
    case latency
    case seeding
    case abort
    case peerBehaviour
    case tracker
    case content
    /// Ed25519 signing keys of BitTorrent Speed peers.
    case signingKey
    /// Which vouchers a provider checks.
    case voucherSampling
    /// Private costs of rational seeders.
    case seedingCost
    /// BTFS hosts: capacity, price, online/offline periods, departure.
    case storageHosts
    /// BTFS renters: file sizes and upload times.
    case storageRenters
    /// Which hosts a renter picks for its shards.
    case storagePlacement
    /// When proof-of-storage challenges come.
    case storageChallenges
    /// A catalogue torrent's size and release.
    case catalog
    /// The master seed of a catalogue torrent's streams (the run's seed for the first).
    case torrent
    /// A catalogue user's choices and the master seed of its downloads' draws.
    case user
    /// A coming-and-going publisher's online periods (and its later sessions' keys).
    case sessionOn
    /// Its offline periods.
    case sessionOff
    /// The behaviour of a Sybil user's identities after its first.
    case identity
}
