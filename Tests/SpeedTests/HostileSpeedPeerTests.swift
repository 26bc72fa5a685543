import BitTorrent
import ClientHarness
import Incentives
import SimKernel
import Testing

@testable import Speed

/// A Speed requester (B) facing a provider (A) whose messages are forged on the way: the
/// values a remote controls are checked where they enter, so a forgery costs the forger
/// its sale, never the requester its money or its process.
@Suite struct HostileSpeedPeerTests {
    typealias Fixture = SpeedPairFixture

    /// A's BEP 10 handshake with its `speed_account` replaced.
    static func forgingAccount(_ f: Fixture, as account: Int64) {
        f.pair.intercept = { fromA, message in
            guard fromA, case .extended(0, let payload) = message,
                var handshake = try? ExtensionHandshake(decoding: payload)
            else { return message }
            handshake.fields[SpeedStrategy.accountKey] = .integer(account)
            return .extended(id: 0, payload: handshake.encoded())
        }
    }

    /// Before the check, an account index from the wire reached the ledger's arrays when
    /// the accept came: 10^6 trapped there. Each forgery is now "does not speak Speed":
    /// the download completes on the free slots and no money moves.
    @Test(arguments: [1_000_000, -1, Int64.max, 1, 3])
    func aForgedAccountInTheHandshakeIsRefused(_ account: Int64) {
        // 1: the requester's own ledger account; 3: the provider's wallet (peers' accounts are
        // opened ledger, wallet in join order, after the system accounts).
        let f = SpeedPairTests.fixture()
        let requesterLedger = Int64(f.requester.account.ledger.index)
        let providerWallet = Int64(f.provider.account.wallet.index)
        let forged: Int64 =
            switch account {
            case 1: requesterLedger
            case 3: providerWallet
            default: account
            }
        Self.forgingAccount(f, as: forged)
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        #expect(!f.market.records.contains { $0.kind == .open }, "forged account \(forged)")
        #expect(f.market.spent(by: 1) == .zero)
        #expect(f.market.isConserved)
    }

    /// The provider's real account, re-sent through the same forgery path, still trades:
    /// the check refuses forgeries, not handshakes.
    @Test func theProvidersRealAccountStillTrades() {
        let f = SpeedPairTests.fixture()
        Self.forgingAccount(f, as: Int64(f.provider.account.ledger.index))
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        #expect(f.market.spent(by: 1) > .zero)
    }

    /// A's `accept` with its price multiplied by `factor`.
    static func forgingAccept(_ f: Fixture, times factor: Double) {
        f.pair.intercept = { fromA, message in
            guard fromA, case .extended(let id, let payload) = message, id != 0,
                case .accept(let price)? = try? SpeedMessage(decoding: payload)
            else { return message }
            let forged = Price(baseUnitsPerGiB: Int64(Double(price.baseUnitsPerGiB) * factor))
            return .extended(id: id, payload: SpeedMessage.accept(forged).encoded())
        }
    }

    @Test func anAcceptAboveOurBidOpensNoChannel() {
        let f = SpeedPairTests.fixture()
        Self.forgingAccept(f, times: 100)
        f.pair.connectAndRun()
        #expect(!f.market.records.contains { $0.kind == .open })
        #expect(f.market.spent(by: 1) == .zero)
        #expect(f.market.isConserved)
    }

    /// The other half of the pair: an accept below the bid is a better deal, and taken.
    @Test func anAcceptBelowOurBidIsPaidAtTheAcceptedPrice() {
        let f = SpeedPairTests.fixture()
        Self.forgingAccept(f, times: 0.5)
        f.pair.connectAndRun()
        #expect(f.pair.b.isSeed)
        #expect(f.market.records.contains { $0.kind == .open })
        let half = Price(baseUnitsPerGiB: SpeedPairTests.price.baseUnitsPerGiB / 2)
        let cost = half.cost(bytes: f.pair.b.bytesDownloaded)
        #expect(abs(f.market.spent(by: 1).baseUnits - cost.baseUnits) <= Int64(ClientPair.layout.pieceCount))
    }
}
