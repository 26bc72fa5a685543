import Foundation
import Incentives
import SimKernel
import Speed
import Testing

@testable import Live

/// Markets on one ledger file behave as one market: each sees the others' accounts,
/// channels and settlements, and concurrent changes are never lost.
struct LedgerFileTests {
    let path = NSTemporaryDirectory() + "btsim-ledger-\(UUID().uuidString).json"

    func market(_ settings: SpeedSettings = SpeedSettings(bidding: .fixed(.zero))) throws -> (SpeedMarket, LedgerFile) {
        let file = try LedgerFile(path: path)
        return (SpeedMarket(settings: settings, chain: ChainSettings(), seed: 9, store: file), file)
    }

    /// A market on the ledger file with two accounts: peer 0 ("payer", `funds` on the
    /// ledger) and peer 1 ("payee", nothing).
    func payerAndPayee(funds: TokenAmount) throws -> (SpeedMarket, LedgerFile) {
        let (m, file) = try market()
        file.exclusively {
            _ = m.join(peer: file.addAccount(named: "payer"), ledger: funds, wallet: .zero)
            _ = m.join(peer: file.addAccount(named: "payee"), ledger: .zero, wallet: .zero)
        }
        return (m, file)
    }

    @Test func aChannelOpenedInOneMarketIsSettledInAnother() throws {
        let (a, fileA) = try market()
        fileA.exclusively {
            _ = a.join(peer: fileA.addAccount(named: "payer"), ledger: .btt(10), wallet: .zero)
            _ = a.join(peer: fileA.addAccount(named: "payee"), ledger: .zero, wallet: .zero)
        }
        let (b, fileB) = try market()
        #expect(fileB.accounts == ["payer", "payee"])
        let signer = VoucherSigner()
        let payer = try #require(a.account(of: 0, signer: signer))
        let payee = try #require(b.account(of: 1, signer: VoucherSigner()))
        let terms = try a.openChannel(from: payer, to: payee.ledger, deposit: .btt(4), now: .seconds(1))
        let seen = try #require(b.terms(of: terms.id), "the other market reads the channel from the file")
        #expect(seen.payerKey.rawRepresentation == signer.publicKey.rawRepresentation)
        var channel = ChannelPayer(terms: terms, signer: signer)
        let voucher = try channel.pay(.btt(1.5))
        b.settle(seen, voucher: voucher, vouchers: 1, lastVoucherAt: .seconds(2), now: .seconds(3))
        #expect(a.terms(of: terms.id) == nil)
        #expect(a.balance(payee.ledger) == .btt(1.5))
        #expect(a.balance(payer.ledger) == .btt(8.5))
        #expect(a.spent(by: 0) == .btt(1.5) && a.earned(by: 1) == .btt(1.5))
        a.advanceChain(to: .seconds(10))
        #expect(b.records.last?.kind == .fee, "the settlement's fee, included by the other market's chain")
        #expect(b.isConserved)
    }

    @Test func concurrentChangesFromTwoMarketsAreAllKept() throws {
        _ = try payerAndPayee(funds: .btt(1000))
        let rounds = 100
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            guard let (m, _) = try? market(), let payer = m.account(of: 0, signer: VoucherSigner()),
                let payee = m.account(of: 1, signer: VoucherSigner()),
                let terms = try? m.openChannel(from: payer, to: payee.ledger, deposit: .btt(1), now: .zero)
            else { return }
            for _ in 0..<rounds { m.accrue(TokenAmount(baseUnits: 1), on: terms.id) }
        }
        let (check, _) = try market()
        #expect(check.records.filter { $0.kind == .open }.count == 2)
        #expect(check.accrued(by: 1) == TokenAmount(baseUnits: Int64(2 * rounds)), "no update lost")
        #expect(check.balance(AccountID(index: 1)) == .btt(2), "both deposits in escrow")
    }

    /// A ledger overwritten with garbage mid-run, then made unwritable: each is reported,
    /// and the market goes on from its last good state instead of trapping.
    @Test func aLedgerThatTurnsBadMidRunIsReportedNotATrap() throws {
        let (m, file) = try market()
        file.exclusively { _ = m.join(peer: file.addAccount(named: "a"), ledger: .btt(3), wallet: .zero) }
        #expect(file.lastFailure == nil)
        try Data("garbage, not JSON".utf8).write(to: URL(fileURLWithPath: path))
        #expect(m.balance(AccountID(index: m.account(of: 0, signer: VoucherSigner())!.ledger.index)) == .btt(3))
        #expect(
            file.lastFailure?.description.contains("no longer a btsim ledger") == true,
            "\(String(describing: file.lastFailure))")
        // The temporary file a save writes is a folder now: the save fails.
        try FileManager.default.createDirectory(atPath: path + ".new", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: path + ".new") }
        file.exclusively { _ = m.join(peer: file.addAccount(named: "b"), ledger: .btt(1), wallet: .zero) }
        #expect(
            file.lastFailure?.description.contains("cannot save the ledger") == true,
            "\(String(describing: file.lastFailure))")
    }

    /// `cycles` channels opened, paid and settled, their fees included: history to carry.
    func settled(_ cycles: Int, on m: SpeedMarket, from t: inout Double) throws {
        let signer = VoucherSigner()
        let payer = try #require(m.account(of: 0, signer: signer))
        let payee = try #require(m.account(of: 1, signer: VoucherSigner()))
        for _ in 0..<cycles {
            let terms = try m.openChannel(from: payer, to: payee.ledger, deposit: .btt(1), now: .seconds(t))
            var channel = ChannelPayer(terms: terms, signer: signer)
            m.settle(
                terms, voucher: try channel.pay(.btt(0.5)), vouchers: 1, lastVoucherAt: .seconds(t), now: .seconds(t))
            t += 10
            m.advanceChain(to: .seconds(t))
        }
    }

    func size(_ path: String) -> Int { (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? -1 }

    @Test func aVoucherRewritesTheLiveMarketNotItsHistory() throws {
        // The snapshot a voucher rewrites is as large after 200 settled channels as after
        // 5; the history file grows only by appends, which keep what was written.
        let (m, _) = try payerAndPayee(funds: .btt(1000))
        var t = 1.0
        var snapshots: [Int] = []
        var earlier = Data()
        for cycles in [5, 195] {
            try settled(cycles, on: m, from: &t)
            let signer = VoucherSigner()
            let payer = try #require(m.account(of: 0, signer: signer))
            let open = try m.openChannel(from: payer, to: AccountID(index: 1), deposit: .btt(2), now: .seconds(t))
            m.accrue(TokenAmount(baseUnits: 1), on: open.id)
            snapshots.append(size(path))
            let history = try #require(FileManager.default.contents(atPath: path + ".history"))
            #expect(history.prefix(earlier.count) == earlier)
            earlier = history
            var channel = ChannelPayer(terms: open, signer: signer)
            m.settle(
                open, voucher: try channel.pay(TokenAmount(baseUnits: 1)), vouchers: 1, lastVoucherAt: .seconds(t),
                now: .seconds(t))
        }
        #expect(abs(snapshots[1] - snapshots[0]) < 200, "snapshot bytes \(snapshots)")
        #expect(size(path + ".history") > 20 * snapshots[0])
        // Another process reads the whole history back.
        let (other, _) = try market()
        #expect(other.records.count == m.records.count && other.records.count > 800)
        #expect(other.chain.settlementLog.count == m.chain.settlementLog.count)
        #expect(other.isConserved)
    }

    @Test func aLineACrashedWriterLeftIsIgnoredThenCutOff() throws {
        let (m, _) = try payerAndPayee(funds: .btt(10))
        var t = 1.0
        try settled(2, on: m, from: &t)
        let before = try #require(FileManager.default.contents(atPath: path + ".history"))
        // A writer appended half a line and died before renaming its snapshot.
        let handle = try #require(FileHandle(forWritingAtPath: path + ".history"))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"records\":[{\"HALF".utf8))
        try handle.close()
        let (reader, _) = try market()
        #expect(reader.records.count == m.records.count, "the reader stops at the snapshot's mark")
        try settled(1, on: reader, from: &t)
        let after = try #require(FileManager.default.contents(atPath: path + ".history"))
        #expect(after.prefix(before.count) == before && !after.contains(Data("HALF".utf8)))
        let (check, _) = try market()
        #expect(check.records.count == reader.records.count && check.isConserved)
    }

    @Test func aLedgerWrittenBeforeTheHistoryFileIsReadAndMovedOut() throws {
        // The old format: one JSON object whose market holds the logs inline.
        let (m, _) = try payerAndPayee(funds: .btt(10))
        var t = 1.0
        try settled(3, on: m, from: &t)
        let full = try JSONSerialization.jsonObject(with: try #require(FileManager.default.contents(atPath: path)))
        var legacy = try #require(full as? [String: Any])
        legacy["history"] = nil
        var inlineMarket = try #require(legacy["market"] as? [String: Any])
        let inline = try JSONSerialization.jsonObject(with: JSONEncoder().encode(m.records))
        inlineMarket["records"] = inline
        legacy["market"] = inlineMarket
        try FileManager.default.removeItem(atPath: path + ".history")
        try JSONSerialization.data(withJSONObject: legacy).write(to: URL(fileURLWithPath: path))
        let (old, _) = try market()
        #expect(old.records == m.records)
        let before = old.records.count
        try settled(1, on: old, from: &t)
        #expect(FileManager.default.fileExists(atPath: path + ".history"))
        let (check, _) = try market()
        #expect(check.records == old.records && check.records.count > before)
    }

    @Test func aFileThatIsNotALedgerIsRefused() throws {
        try Data("{\"accounts\": 3}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: LedgerFile.Failure.self) { try LedgerFile(path: path) }
    }
}
