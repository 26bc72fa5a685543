import Testing

@testable import Incentives

@Suite struct SpeedAuctionTests {
    func bid(_ bidder: Int, _ btt: Double, tie: UInt32 = 0) -> Bid {
        Bid(bidder: bidder, price: .bttPerGiB(btt), tieBreak: tie == 0 ? UInt32(bidder) : tie)
    }

    @Test func highestBidsWinAndPayTheHighestLosingBid() {
        let out = SpeedAuction.clear(
            [bid(1, 0.3), bid(2, 0.9), bid(3, 0.5), bid(4, 0.7), bid(5, 0.1), bid(6, 0.6)], slots: 4, reserve: .zero)
        #expect(out.winners == [2, 4, 6, 3])
        #expect(out.clearingPrice == .bttPerGiB(0.3))
    }

    @Test func withFewerBiddersThanSlotsAllWinAtTheReserve() {
        let out = SpeedAuction.clear([bid(1, 0.4), bid(2, 0.2)], slots: 4, reserve: .bttPerGiB(0.1))
        #expect(out.winners == [1, 2])
        #expect(out.clearingPrice == .bttPerGiB(0.1))
    }

    @Test func bidsBelowTheReserveNeverWin() {
        let out = SpeedAuction.clear([bid(1, 0.05), bid(2, 0.2), bid(3, 0.01)], slots: 4, reserve: .bttPerGiB(0.1))
        #expect(out.winners == [2])
        #expect(out.clearingPrice == .bttPerGiB(0.1))
    }

    @Test func theReserveIsAFloorUnderTheClearingPrice() {
        let out = SpeedAuction.clear([bid(1, 0.9), bid(2, 0.8), bid(3, 0.25)], slots: 2, reserve: .bttPerGiB(0.3))
        #expect(out.winners == [1, 2])
        #expect(out.clearingPrice == .bttPerGiB(0.3))
    }

    @Test func tiesAreBrokenByTheRoundsRandomNumberAndPayTheTiedPrice() {
        let out = SpeedAuction.clear(
            [bid(1, 0.5, tie: 30), bid(2, 0.5, tie: 10), bid(3, 0.5, tie: 20)], slots: 2, reserve: .zero)
        #expect(out.winners == [2, 3])
        #expect(out.clearingPrice == .bttPerGiB(0.5))
    }

    @Test func noSlotsNoWinners() {
        #expect(SpeedAuction.clear([bid(1, 1)], slots: 0, reserve: .zero).winners.isEmpty)
        #expect(SpeedAuction.clear([], slots: 4, reserve: .bttPerGiB(0.2)).clearingPrice == .bttPerGiB(0.2))
    }
}

@Suite struct AutoBidderTests {
    @Test func priceIsSpendingRateTimesBalanceOverRemainingData() {
        let a = AutoBidder(spendingRate: 0.1)
        // 10 % of 50 BTT over 2 GiB → 2.5 BTT/GiB.
        #expect(a.price(balance: .btt(50), remainingBytes: 2 << 30) == .bttPerGiB(2.5))
        #expect(a.price(balance: .btt(50), remainingBytes: 0) == .zero)
    }

    @Test func rebidsOnlyWhenThePriceMovesMoreThanTenPercent() {
        var a = AutoBidder(spendingRate: 0.1)
        #expect(a.update(balance: .btt(50), remainingBytes: 2 << 30) == .bttPerGiB(2.5))
        // 2.5 → 2.65 is +6 %: no new bid.
        #expect(a.update(balance: .btt(53), remainingBytes: 2 << 30) == nil)
        // 2.5 → 2.8 is +12 %: a new bid.
        #expect(a.update(balance: .btt(56), remainingBytes: 2 << 30) == .bttPerGiB(2.8))
        #expect(a.standing == .bttPerGiB(2.8))
        // Less data left raises the price.
        #expect(a.update(balance: .btt(56), remainingBytes: 1 << 30) == .bttPerGiB(5.6))
    }

    @Test func theBudgetCapsTheBid() {
        let a = AutoBidder(spendingRate: 0.5, ceiling: .bttPerGiB(1))
        #expect(a.price(balance: .btt(1000), remainingBytes: 1 << 30) == .bttPerGiB(1))
    }
}
