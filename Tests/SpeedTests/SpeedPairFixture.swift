import ClientHarness
import Incentives

@testable import Speed

/// A Speed provider (A, peer 0, a seed with an empty ledger) and a Speed requester (B,
/// peer 1) on one market, back to back over the real client code: the fixture of the
/// pair tests, honest or with either side cheating.
struct SpeedPairFixture {
    let market: SpeedMarket
    let pair: ClientPair
    let provider: SpeedStrategy
    let requester: SpeedStrategy

    init(
        settings: SpeedSettings, chain: ChainSettings = ChainSettings(), requesterFunds: TokenAmount = .btt(100),
        payment: SpeedPayment = .honest, delivery: SpeedDelivery = .honest, bidStyle: SpeedBidStyle = .rule
    ) {
        market = SpeedMarket(settings: settings, chain: chain, seed: 5)
        provider = SpeedStrategy(
            market: market, account: market.join(peer: 0, ledger: .zero, wallet: .zero), delivery: delivery)
        requester = SpeedStrategy(
            market: market, account: market.join(peer: 1, ledger: requesterFunds, wallet: .zero), payment: payment,
            bidStyle: bidStyle)
        pair = ClientPair(aStrategy: provider, bStrategy: requester)
    }
}
