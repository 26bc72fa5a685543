import SimKernel
import Strategies
import Testing

@testable import Scenario

@Suite struct PeerGroupTests {
    let rates = "up: 1 Mbit/s, down: 2 Mbit/s"

    @Test func arrivalKinds() throws {
        #expect(try crowd("count: 3, arrival: {at: 90 s}, \(rates)")?.arrival == .at(.seconds(90)))
        #expect(
            try crowd("arrival: {poisson: {rate: 2/s}}, \(rates)")?.arrival == .poisson(ratePerSecond: 2, until: nil))
        let capped = try crowd("count: 50, arrival: {poisson: {rate: 1/s, until: 2 h}}, \(rates)")
        #expect(capped?.arrival == .poisson(ratePerSecond: 1, until: .hours(2)))
        #expect(capped?.count == 50)
        let decaying = try crowd("arrival: {decaying: {rate: 3600/h, tau: 24 h, until: 48 h}}, \(rates)")
        #expect(decaying?.arrival == .decaying(initialRatePerSecond: 1, tau: .hours(24), until: .hours(48)))
        #expect(decaying?.count == nil)
    }

    @Test func fixedBandwidth() throws {
        #expect(
            try crowd("count: 3, arrival: {at: 0 s}, \(rates)")?.bandwidth
                == .fixed(upBitsPerSecond: 1e6, downBitsPerSecond: 2e6))
    }

    @Test func bandwidthMix() throws {
        let yaml = """
            name: mix
            duration: 1 h
            torrent: {size: 1 MiB}
            peers:
              - group: crowd
                count: 10
                arrival: {at: 0 s}
                bandwidth:
                  - {share: 0.25, down: 784 kbit/s, up: 128 kbit/s}
                  - {share: 0.75, down: 10 Mbit/s, up: 5 Mbit/s}
            """
        let group = try parse(yaml).peers[0]
        #expect(
            group.bandwidth
                == .mix([
                    BandwidthClass(share: 0.25, upBitsPerSecond: 128e3, downBitsPerSecond: 784e3),
                    BandwidthClass(share: 0.75, upBitsPerSecond: 5e6, downBitsPerSecond: 10e6),
                ]))
        expectError(
            yaml.replacingOccurrences("0.75", "0.6"), prefix: "x.yaml:9 peers[0].bandwidth: ",
            "shares must sum to 1 (within 0.000001), got 0.85")
        // Thirds written to three decimals miss by 0.001: the message says how to close the gap.
        let thirds = yaml.replacingOccurrences("0.25", "0.333").replacingOccurrences("0.75", "0.667")
        #expect(throws: Never.self) { try parse(thirds) }
        expectError(
            yaml.replacingOccurrences("0.25", "0.333").replacingOccurrences("0.75", "0.666"),
            prefix: "x.yaml:9 peers[0].bandwidth: ", "got 0.999", "e.g. 0.333, 0.333, 0.334")
    }

    @Test func defaults() throws {
        let group = try crowd("count: 3, arrival: {at: 0 s}, \(rates)")
        #expect(group?.hasFile == false)
        #expect(group?.seeding == .forever)
        #expect(group?.strategy == .bittorrent)
        #expect(group?.abort == nil)
        #expect(try parse(document()).peers[0].hasFile)
    }

    @Test func seedingForms() throws {
        let base = "count: 3, arrival: {at: 0 s}, \(rates), seeding: "
        #expect(try crowd(base + "forever")?.seeding == .forever)
        #expect(try crowd(base + "{for: 0 s}")?.seeding == .duration(.constant(0)))
        #expect(try crowd(base + "{for: 24 h}")?.seeding == .duration(.constant(86_400)))
        expectError(
            document(crowd: base + "always"), prefix: "x.yaml:6 peers[1].seeding: ", "\"forever\"", "got \"always\"")
        expectError(
            document(crowd: base + "{four: 1 h}"), prefix: "x.yaml:6 peers[1].seeding.four: ", "did you mean \"for\"?")
    }

    @Test func errorsNameTheGroupKey() {
        let at = "count: 3, arrival: {at: 0 s}"
        expectError(
            document(crowd: "\(at), up: fast, down: 1 Mbit/s"), prefix: "x.yaml:6 peers[1].up: ",
            "expected a rate such as \"1 Mbit/s\", got \"fast\"")
        expectError(
            document(crowd: "\(at), up: 1 Mbit/s, down: -1 Mbit/s"), prefix: "x.yaml:6 peers[1].down: ",
            "must be positive, got \"-1 Mbit/s\"")
        expectError(
            document(crowd: "\(at), up: 0 Mbit/s, down: 1 Mbit/s"), prefix: "x.yaml:6 peers[1].up: ", "must be positive"
        )
        expectError(
            document(crowd: "\(at), up: 1 Mbit/s"), prefix: "x.yaml:6 peers[1].down: ", "required key is missing")
        expectError(document(crowd: at), prefix: "x.yaml:6 peers[1]: ", "needs a bandwidth")
        expectError(
            document(crowd: "\(at), \(rates), bandwidth: [{share: 1, up: 1 Mbit/s, down: 1 Mbit/s}]"),
            prefix: "x.yaml:6 peers[1].bandwidth: ", "not both")
        expectError(
            document(crowd: "arrival: {at: 0 s}, \(rates)"), prefix: "x.yaml:6 peers[1].count: ", "required for \"at\"")
        expectError(
            document(crowd: "count: -2, arrival: {at: 0 s}, \(rates)"), prefix: "x.yaml:6 peers[1].count: ",
            "at least 0")
        expectError(
            document(crowd: "count: 2.5, arrival: {at: 0 s}, \(rates)"), prefix: "x.yaml:6 peers[1].count: ",
            "whole number")
        expectError(
            document(crowd: "count: 3, \(rates)"), prefix: "x.yaml:6 peers[1].arrival: ", "required key is missing")
        expectError(
            document(crowd: "count: 3, arrival: {poison: {rate: 1/s}}, \(rates)"),
            prefix: "x.yaml:6 peers[1].arrival.poison: ",
            "unknown arrival kind", "did you mean \"poisson\"?")
        expectError(
            document(crowd: "arrival: {poisson: {rate: 2}}, \(rates)"),
            prefix: "x.yaml:6 peers[1].arrival.poisson.rate: ",
            "expected an event rate such as \"2/s\"")
        expectError(
            document(crowd: "arrival: {decaying: {rate: 1/s}}, \(rates)"),
            prefix: "x.yaml:6 peers[1].arrival.decaying.tau: ",
            "required key is missing")
        expectError(
            document(crowd: "\(at), \(rates), has_file: yes"), prefix: "x.yaml:6 peers[1].has_file: ", "true or false")
        expectError(
            document(crowd: "\(at), \(rates), bandwith: []"), prefix: "x.yaml:6 peers[1].bandwith: ",
            "did you mean \"bandwidth\"?")
    }

    @Test func strategies() throws {
        let base = "count: 3, arrival: {at: 0 s}, \(rates), strategy: "
        for strategy in StrategyRegistry.all {
            #expect(try crowd(base + strategy.name)?.strategy == strategy)
        }
        // The registry's names, in its order, are the choices offered.
        let names = StrategyRegistry.names
        let known = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
        #expect(known.hasPrefix("bittorrent, speed, freerider, propshare"))
        expectError(
            document(crowd: base + "tirant"), prefix: "x.yaml:6 peers[1].strategy: ",
            "unknown strategy \"tirant\"; known: \(known)")
        expectError(
            document(crowd: base + "sped"), prefix: "x.yaml:6 peers[1].strategy: ",
            "unknown strategy \"sped\"; did you mean \"speed\"?")
    }

    @Test func groupNamesAreUniqueAndPathSafe() {
        expectError(
            document().replacingOccurrences("group: crowd", "group: seed"),
            prefix: "x.yaml:6 peers[1].group: ", "already used by peers[0]")
        expectError(
            document().replacingOccurrences("group: crowd", "group: my crowd"), prefix: "x.yaml:6 peers[1].group: ",
            "only letters, digits")
    }

    @Test func peersMustBeANonEmptyList() {
        let top = "name: t\nduration: 1 h\ntorrent: {size: 1 MiB}\n"
        expectError(top + "peers: []", prefix: "x.yaml:4 peers: ", "at least one peer group")
        expectError(
            top + "peers: {group: a}", prefix: "x.yaml:4 peers: ", "expected a list of peer groups, got a mapping")
        expectError(top + "peers:\n  - crowd", prefix: "x.yaml:5 peers[0]: ", "expected a peer group")
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}

/// `identities: k` (docs/scenarios.md, "Sybil requesters"): a whole number 1 … 64 on a
/// group of leechers, refused where it would mean nothing or two things.
@Suite struct SybilIdentitiesParsingTests {
    static func group(_ extra: String, hasFile: Bool = false) -> String {
        """
        name: t
        duration: 1 h
        torrent: {size: 1 MiB}
        peers:
          - {group: seed, count: 1, arrival: {at: 0 s}, has_file: true, up: 1 Mbit/s, down: 1 Mbit/s}
          - {group: sybils, count: 2, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s\(hasFile ? ", has_file: true" : "")\(extra)}
        """
    }

    @Test func aGroupMayRunSeveralIdentitiesPerUser() throws {
        let s = try ScenarioLoader.parse(yaml: Self.group(", identities: 4"), file: "s.yaml")
        #expect(s.peers[1].identities == 4)
        #expect(try ScenarioLoader.parse(yaml: Self.group(""), file: "s.yaml").peers[1].identities == 1)
        let swept = try ScenarioLoader.parse(
            yaml: Self.group(""), file: "s.yaml", overrides: [Override(path: "peers.sybils.identities", value: "8")])
        #expect(swept.peers[1].identities == 8)
    }

    @Test func badIdentitiesExitWithTheKey() {
        let cases: [(String, Bool, String)] = [
            (", identities: 0", false, "must be at least 1"),
            (", identities: 65", false, "at most 64"),
            (", identities: two", false, "whole number"),
            (", identities: 2", true, "drop has_file or identities"),
            (
                ", identities: 2, seeding: {for: 1 min, rational: {cost: 1 BTT/h, interval: 10 min, window: 30 min}}",
                false, "drop seeding.rational or identities"
            ),
        ]
        for (extra, hasFile, message) in cases {
            #expect {
                try ScenarioLoader.parse(yaml: Self.group(extra, hasFile: hasFile), file: "s.yaml")
            } throws: { e in
                let text = "\(e)"
                return text.contains(message) && text.contains("peers[1].identities") && text.contains("s.yaml:")
            }
        }
    }
}

/// `farm: k` (docs/scenarios.md, "Self-dealing farms"): 0 … 64 leechers per farmer, on a
/// group of Speed seeds in one session.
@Suite struct FarmParsingTests {
    static func group(_ extra: String) -> String {
        """
        name: t
        duration: 1 h
        torrent: {size: 1 MiB}
        peers:
          - {group: farmers, count: 1, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, wallet: 1 BTT\(extra)}
        """
    }

    @Test func aSpeedSeedMayRunAFarm() throws {
        let s = try ScenarioLoader.parse(
            yaml: Self.group(", has_file: true, strategy: speed, farm: 3"), file: "s.yaml")
        #expect(s.peers[0].farm == 3)
        #expect(try ScenarioLoader.parse(yaml: Self.group(", has_file: true"), file: "s.yaml").peers[0].farm == 0)
    }

    @Test func badFarmsExitWithTheKey() {
        let cases: [(String, String)] = [
            (", has_file: true, strategy: speed, farm: -1", "must be at least 0"),
            (", has_file: true, strategy: speed, farm: 65", "at most 64"),
            (", strategy: speed, farm: 2", "give the group has_file: true"),
            (", has_file: true, farm: 2", "trades on the Speed market"),
            (", has_file: true, strategy: speed, farm: 2, uptime: {on: 1 h, off: 1 h}", "drop uptime or farm"),
        ]
        for (extra, message) in cases {
            #expect {
                try ScenarioLoader.parse(yaml: Self.group(extra), file: "s.yaml")
            } throws: { e in
                let text = "\(e)"
                return text.contains(message) && text.contains("peers[0].farm") && text.contains("s.yaml:")
            }
        }
    }

    /// A farmer's leechers are funded like it, so the supply check counts them.
    @Test func theFundingCheckCountsAFarmsLeechers() {
        let yaml = Self.group(", has_file: true, strategy: speed, farm: 64").replacingOccurrences(
            of: "wallet: 1 BTT", with: "wallet: 20000000000 BTT")
        #expect {
            try ScenarioLoader.parse(yaml: yaml, file: "s.yaml")
        } throws: { e in "\(e)".contains("65 × 20000000000") }
    }
}
