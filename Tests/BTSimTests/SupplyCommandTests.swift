import Foundation
import Testing

/// Funding larger than BTT's supply, and token amounts on the command line: exit 2 with
/// one line naming the key or option, never a trap (docs/scenarios.md, "Funding and the
/// supply").
@Suite struct SupplyCommandTests {
    let dir = NSTemporaryDirectory() + "btsim-supply-\(UUID().uuidString)"

    static let scenario = """
        name: supply
        duration: 20 min
        torrent: {size: 1 MiB, piece_size: 128 KiB}
        peers:
          - {group: publisher, count: 1, arrival: {at: 0 s}, has_file: true, up: 2 Mbit/s, down: 2 Mbit/s}
          - {group: crowd, count: 10, arrival: {at: 0 s}, up: 1 Mbit/s, down: 4 Mbit/s, strategy: speed, wallet: 10 BTT}
        incentives: {reserve: 1 BTT/GiB}
        """

    @Test func fundingKnownInAdvanceIsCheckedAgainstTheSupply() throws {
        let file = try CLI.write(Self.scenario, to: "supply.yaml", in: dir)
        for (arguments, says) in [
            // One wallet larger than the supply.
            (["--set", "peers.crowd.wallet=1000000000000 BTT"], "is more than BTT's total supply of 990000000000 BTT"),
            // Ten wallets of a tenth of the supply each, plus one more BTT per peer.
            (
                ["--set", "peers.crowd.wallet={ledger: 99000000000 BTT, chain: 1 BTT}"],
                "come to more than BTT's total supply of 990000000000 BTT"
            ),
        ] {
            for command in ["check", "run"] {
                let options = command == "run" ? ["--quiet", "--out", dir] : []
                let r = try CLI.run([command, file] + options + arguments)
                #expect(r.status == 2 && r.stderr.contains(says), "\(command) \(arguments): \(r.stderr)")
                #expect(r.stderr.contains("peers.crowd.wallet"), "\(r.stderr)")
            }
        }
        // Exactly the supply is fine: ten peers with a tenth each.
        let whole = try CLI.run(["check", file, "--set", "peers.crowd.wallet=99000000000 BTT"])
        #expect(whole.status == 0, "\(whole.stderr)")
    }

    @Test func openEndedArrivalsThatExhaustTheSupplyEndTheRunWithExit2() throws {
        let file = try CLI.write(Self.scenario, to: "supply.yaml", in: dir)
        // Poisson arrivals of peers holding a third of the supply each: the fourth cannot
        // be funded, whenever it arrives.
        let r = try CLI.run([
            "run", file, "--quiet", "--out", dir, "--set", "peers.crowd.arrival={poisson: {rate: 1/min}}",
            "--set", "peers.crowd.wallet=330000000000 BTT",
        ])
        #expect(r.status == 2, "\(r.stderr)")
        #expect(r.stderr.contains("peers.crowd.wallet: a peer arriving at"), "\(r.stderr)")
        #expect(r.stderr.contains("needs 330000000000.000000 BTT, but only 0.000000 BTT"), "\(r.stderr)")
        // Three such peers fit, with a count cap.
        let capped = try CLI.run([
            "run", file, "--quiet", "--out", dir, "--force", "--set", "peers.crowd.arrival={poisson: {rate: 1/min}}",
            "--set", "peers.crowd.wallet=330000000000 BTT", "--set", "peers.crowd.count=3",
        ])
        #expect(capped.status == 0, "\(capped.stderr)")
    }

    @Test func tokenAmountsOnTheCommandLineAreReadExactly() throws {
        let ledger = dir + "/bank.json"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (arguments, says) in [
            (["--open", "a=9300000000000"], "--open a=9300000000000: is more than BTT's total supply"),
            (["--open", "a=0.0000001"], "has more than 6 decimal places"),
            (["--open", "a=500000000000", "--open", "b=500000000000"], "more than the 990000000000.000000 BTT left"),
        ] {
            let r = try CLI.run(["live", "ledger", ledger] + arguments)
            #expect(r.status == 2 && r.stderr.contains(says), "\(arguments): \(r.stderr)")
        }
        // Nothing was opened by the refused calls; an exact amount is kept to the base unit.
        let ok = try CLI.run(["live", "ledger", ledger, "--open", "a=0.000001", "--open", "b=2.5 BTT"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("0.000001") && ok.stdout.contains("2.500000"), "\(ok.stdout)")
        #expect(ok.stdout.contains("2 accounts"), "\(ok.stdout)")
    }

    @Test func liveBidsAndDepositsAreReadExactly() throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let data = dir + "/small.bin"
        try Data(repeating: 7, count: 100_000).write(to: URL(fileURLWithPath: data))
        let torrent = dir + "/small.torrent"
        #expect(try CLI.run(["live", "make-torrent", data, "-o", torrent]).status == 0)
        let ledger = dir + "/bank.json"
        #expect(try CLI.run(["live", "ledger", ledger, "--open", "a=10"]).status == 0)
        let speed = ["--strategy", "speed", "--ledger", ledger, "--account", "a", "--peer", "127.0.0.1:9"]
        for (arguments, says) in [
            // Through a Double into Int64 this trapped near 9.3e12 BTT.
            (["--price", "9300000000000"], "--price: is too large"),
            (["--price", "0"], "--price: a bid must be above 0 to download"),
            (["--price", "2 BTT/h"], "--price: unknown size unit"),
            (["--deposit", "1e13"], "--deposit: is more than BTT's total supply"),
            (["--deposit", "0.0000001"], "--deposit: has more than 6 decimal places"),
        ] {
            let r = try CLI.run(["live", "get", torrent, "--out", dir + "/dl"] + speed + arguments)
            #expect(r.status == 2 && r.stderr.contains(says), "\(arguments): \(r.stderr)")
        }
    }
}
