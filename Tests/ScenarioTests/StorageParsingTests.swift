import Foundation
import Incentives
import SimKernel
import Storage
import Testing

@testable import Scenario

/// The `storage:` block (docs/storage.md): hosts, renters, redundancy, repair, scores.
@Suite struct StorageParsingTests {
    /// A storage-only scenario; line 5 is the host group, line 7 the renter group.
    static func storage(host: String = "", renter: String = "", extra: String = "") -> String {
        """
        name: s
        duration: 10 d
        storage:
          hosts:
            - {group: h, count: 50, capacity: 1 TiB, price: 250 µBTT/GiB/d\(host)}
          renters:
            - {group: r, count: 2, files: 3, file_size: 100 MiB, budget: 10 BTT\(renter)}
        \(extra)
        """
    }

    @Test func aStorageOnlyScenarioNeedsNoTorrentOrPeersAndGetsTheDefaults() throws {
        let s = try parse(Self.storage())
        #expect(s.peers.isEmpty)
        let storage = try #require(s.storage)
        #expect(storage.hosts == [HostGroupSpec(name: "h", count: 50, capacityBytes: 1 << 40, price: .constant(250))])
        let r = storage.renters[0]
        #expect(r.redundancy == .reedSolomon(data: 10, parity: 20) && r.contractLength == .hours(30 * 24))
        #expect(r.fileSize == .constant(100 * 1_048_576) && r.budget == .btt(10) && r.maxPrice == nil)
        #expect(storage.payoutPeriod == .hours(24) && storage.challengeInterval == .hours(6) && storage.repair)
        #expect(storage.scoreWeights == HostScoreWeights() && storage.minimumScore == 0)
        #expect(storage.chain == ChainSettings())
    }

    @Test func everyKeyIsRead() throws {
        let s = try parse(
            Self.storage(
                host:
                    ", uptime: {on: {exponential: {mean: 20 h}}, off: 4 h}, departure: {exponential: {mean: 90 d}}, version: 0.5",
                renter:
                    ", redundancy: {replicas: 3}, contract: 7 d, max_price: 0.5 BTT/TiB/d, upload: {uniform: {min: 0 s, max: 1 d}}",
                extra: """
                      payout_period: 12 h
                      challenge_rate: 2/d
                      repair: {threshold: 2, delay: 30 min}
                      host_score: {weights: {uptime: 1, age: 0, version: 0, activity: 0}, minimum: 0.4}
                      sample_interval: 6 h
                    incentives: {chain: {fee: 0.001 BTT}}
                    """))
        let storage = try #require(s.storage)
        let h = storage.hosts[0]
        #expect(h.online == .exponential(mean: 72_000) && h.offline == .constant(14_400))
        #expect(h.departure == .exponential(mean: 90 * 86_400) && h.version == 0.5 && h.availability == 20.0 / 24)
        let r = storage.renters[0]
        #expect(r.redundancy == .replicas(3) && r.contractLength == .hours(7 * 24))
        #expect(abs(r.maxPrice! - 0.5e6 / 1024) < 1e-9, "0.5 BTT per TiB per day in µBTT per GiB per day")
        #expect(r.upload == .uniform(min: 0, max: 86_400))
        #expect(storage.payoutPeriod == .hours(12) && storage.challengeInterval == .hours(12))
        #expect(storage.repairThreshold == 2 && storage.repairDelay == .minutes(30))
        #expect(storage.scoreWeights == HostScoreWeights(uptime: 1, age: 0, version: 0, activity: 0))
        #expect(storage.minimumScore == 0.4 && storage.sampleInterval == .hours(6))
        #expect(storage.chain.fee == .btt(0.001), "fees come from incentives.chain")
        #expect(try parse(Self.storage(extra: "  repair: false")).storage?.repair == false)
    }

    @Test func overridesReachHostAndRenterGroups() throws {
        let s = try parse(
            Self.storage(),
            overrides: [
                try Override.parse("storage.renters.r.redundancy={replicas: 2}"),
                try Override.parse("storage.hosts.h.count=7"),
            ])
        #expect(s.storage?.renters[0].redundancy == .replicas(2) && s.storage?.hosts[0].count == 7)
    }

    @Test func aBadGroupInAnOverrideIsNamedAsAStorageGroup() {
        let cases = [
            (
                "storage.hosts.g.count=7",
                "--set storage.hosts.g.count: no storage host group named \"g\"; groups are h"
            ),
            (
                "storage.renters[3].files=1",
                "--set storage.renters[3].files: there is no storage.renters[3]: the scenario has 1 storage renter group (indices count from 0)"
            ),
        ]
        for (argument, expected) in cases {
            do {
                _ = try parse(Self.storage(), overrides: [try Override.parse(argument)])
                Issue.record("accepted \(argument)")
            } catch {
                #expect(error.description == expected)
            }
        }
    }

    @Test func badStorageInputsNameTheKey() {
        expectError(
            Self.storage().replacingOccurrences(of: "250 µBTT/GiB/d", with: "250 BTT/GiB"),
            prefix: "x.yaml:5 storage.hosts[0].price: ", "token/size/time")
        expectError(
            Self.storage().replacingOccurrences(of: "250 µBTT/GiB/d", with: "250 µBTT/GiB/week"),
            prefix: "x.yaml:5 storage.hosts[0].price: ", "unknown time unit")
        expectError(
            Self.storage(renter: ", redundancy: {reed_solomn: {data: 10, parity: 20}}"),
            prefix: "x.yaml:7 storage.renters[0].redundancy", "reed_solomon")
        expectError(
            Self.storage(renter: ", redundancy: {reed_solomon: {data: 200, parity: 100}}"),
            prefix: "x.yaml:7 storage.renters[0].redundancy.reed_solomon: ", "at most 255")
        // Two values whose sum overflows Int: refused, not a trap.
        expectError(
            Self.storage(renter: ", redundancy: {reed_solomon: {data: 9223372036854775807, parity: 1}}"),
            prefix: "x.yaml:7 storage.renters[0].redundancy.reed_solomon: ", "more than Int's range")
        expectError(
            Self.storage(renter: ", redundancy: {replicas: 1000000000}"),
            prefix: "x.yaml:7 storage.renters[0].redundancy.replicas: ", "at most 255")
        expectError(
            Self.storage().replacingOccurrences(of: "files: 3", with: "files: 0"),
            prefix: "x.yaml:7 storage.renters[0].files: ")
        expectError(
            Self.storage(extra: "  host_score: {minimum: 2}"), prefix: "x.yaml:8 storage.host_score.minimum: ",
            "from 0 to 1")
        expectError(Self.storage(extra: "  challenge_rate: 4"), prefix: "x.yaml:8 storage.challenge_rate: ")
        expectError(
            "name: s\nduration: 1 d\nstorage: {hosts: [], renters: []}\n", prefix: "x.yaml:3 storage.hosts: ",
            "at least one host group")
        expectError(
            "name: s\nduration: 1 d\nstorage: {hosts: [{group: h, count: 1, capacity: 1 GiB, price: 1 µBTT/GiB/d}], renters: [{group: r, count: 1, files: 1, file_size: 1 MiB, budget: 1 BTT}]}\npeers: [{group: p, count: 1, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s}]\n",
            prefix: "x.yaml:1 torrent: ", "required key is missing")
    }

    /// A swarm scenario whose `crowd` peers rent storage; line 9 is the renter group.
    static func renting(_ renter: String) -> String {
        """
        name: s
        duration: 2 d
        torrent: {size: 1 MiB}
        peers: [{group: crowd, count: 3, arrival: {at: 0 s}, up: 1 Mbit/s, down: 1 Mbit/s, wallet: 5 BTT}]
        storage:
          hosts:
            - {group: h, count: 10, capacity: 1 TiB, price: 250 µBTT/GiB/d}
          renters:
            - {group: r, files: 1, file_size: 1 GiB\(renter)}
        """
    }

    @Test func aRenterGroupMayRentForAPeerGroup() throws {
        let s = try parse(Self.renting(", peers: crowd"))
        let r = try #require(s.storage?.renters.first)
        #expect(r.peers == "crowd" && r.count == 0 && r.budget == .zero && r.files == 1)
        #expect(try parse(Self.storage()).storage?.renters.first?.peers == nil)
    }

    @Test func aRentingGroupNamesAPeerGroupOnceAndHasNoCountOrBudget() {
        expectError(
            Self.renting(", peers: crowds"), prefix: "x.yaml:9 storage.renters[0].peers: ",
            "no peer group is named \"crowds\"; did you mean \"crowd\"?")
        expectError(
            Self.renting(", peers: crowd, count: 2"), prefix: "x.yaml:9 storage.renters[0].count: ",
            "one renter per arriving peer")
        expectError(
            Self.renting(", peers: crowd, budget: 2 BTT"), prefix: "x.yaml:9 storage.renters[0].budget: ",
            "remove budget")
        expectError(
            Self.renting(", peers: crowd}\n    - {group: r2, files: 1, file_size: 1 GiB, peers: crowd"),
            prefix: "x.yaml:10 storage.renters[1].peers: ", "already rents")
        expectError(
            Self.renting(""), prefix: "x.yaml:9 storage.renters[0].count: ", "required key is missing")
        expectError(
            Self.storage(renter: ", peers: crowd"), prefix: "x.yaml:7 storage.renters[0].peers: ",
            "no peer group is named")
    }
}
