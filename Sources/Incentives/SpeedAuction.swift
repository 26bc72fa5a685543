/// One requester's standing bid at a provider.
public struct Bid: Sendable, Equatable {
    /// The provider's name for the bidder (its connection slot, say).
    public var bidder: Int
    public var price: Price
    /// A fresh random number per round: equal bids do not always favour the same peer.
    public var tieBreak: UInt32

    public init(bidder: Int, price: Price, tieBreak: UInt32) {
        self.bidder = bidder
        self.price = price
        self.tieBreak = tieBreak
    }
}

public struct AuctionOutcome: Sendable, Equatable {
    /// Bidders given a regular slot, best bid first.
    public var winners: [Int]
    /// What every winner pays: the highest losing bid, or the reserve when no bid lost.
    public var clearingPrice: Price
}

/// BitTorrent Speed's slot auction at a provider: a uniform-price multi-unit auction.
/// The `slots` highest bids at or above the reserve win, and all winners pay the same
/// price — the highest losing bid (or the reserve if that is higher, or if every
/// eligible bid won). A pure function, tested on its own like the choker.
public enum SpeedAuction {
    public static func clear(_ bids: [Bid], slots: Int, reserve: Price) -> AuctionOutcome {
        let eligible = bids.filter { $0.price >= reserve }.sorted { a, b in
            a.price != b.price ? a.price > b.price : a.tieBreak < b.tieBreak
        }
        let winners = eligible.prefix(max(0, slots)).map(\.bidder)
        let highestLoser = eligible.count > slots ? eligible[slots].price : reserve
        return AuctionOutcome(winners: winners, clearingPrice: max(reserve, highestLoser))
    }
}
