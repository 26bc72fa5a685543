/// A swept value as a number in a canonical unit, for the `KEY [UNIT]` columns of a sweep's
/// tables (docs/metrics.md, "Sweeps"): `16 BTT/GiB` → 16 in `BTT/GiB`, `2 MiB` → 2097152 in
/// `B`, `10 min` → 600 in `s`. The units are those of btsim's own CSV columns (seconds,
/// bytes, bits per second, BTT), so a sweep's numeric columns compare with its results.
public struct CanonicalValue: Equatable, Sendable {
    public var unit: String
    public var value: Double

    /// Readers in an order where no text is taken by the wrong one: a price's `/GiB` and a
    /// cost's `/h` are not amounts, a bit rate's `/s` is not an event rate.
    private static let readers: [(unit: String, read: @Sendable (String) -> Double?)] = [
        ("BTT/GiB", { t in (try? Units.price(t)).map { Double($0.baseUnitsPerGiB) / 1e6 } }),
        ("BTT/h", { t in try? Units.costPerHour(t, allowZero: true) }),
        ("µBTT/GiB/d", { t in try? Units.storagePrice(t, allowZero: true) }),
        ("BTT", { t in (try? Units.tokenAmount(t, allowZero: true)).map(\.btt) }),
        ("bit/s", { t in try? Units.rate(t) }),
        ("1/s", { t in try? Units.eventRate(t) }),
        ("B", { t in (try? Units.size(t)).map(Double.init) }),
        ("s", { t in try? Units.durationSeconds(t, allowZero: true) }),
    ]

    /// nil for plain numbers (already numeric as written), names and structured values.
    public static func read(_ text: String) -> CanonicalValue? {
        guard Units.number(text) == nil else { return nil }
        for reader in readers {
            if let value = reader.read(text) { return CanonicalValue(unit: reader.unit, value: value) }
        }
        return nil
    }

    /// The canonical column of a swept key: its unit when every point gives a value in the
    /// same one, nil otherwise (a point without the key, names, mixed kinds).
    public static func unit(of values: [String]) -> String? {
        let read = values.map(Self.read)
        guard let first = read.first ?? nil, read.allSatisfy({ $0?.unit == first.unit }) else { return nil }
        return first.unit
    }
}
