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
        let (a, fileA) = try market()
        fileA.exclusively {
            _ = a.join(peer: fileA.addAccount(named: "payer"), ledger: .btt(1000), wallet: .zero)
            _ = a.join(peer: fileA.addAccount(named: "payee"), ledger: .zero, wallet: .zero)
        }
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

    @Test func aFileThatIsNotALedgerIsRefused() throws {
        try Data("{\"accounts\": 3}".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: LedgerFile.Failure.self) { try LedgerFile(path: path) }
    }
}
