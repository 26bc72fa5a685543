import Incentives
import SimKernel

/// A strategy that trades on the Speed market, as its driver sees it: the account it pays
/// from and earns into (withdrawn when the peer leaves), and its open channels, settled
/// when the run ends. `SpeedStrategy` is one; strategies that cheat the market are others.
public protocol SpeedTrader: AnyObject {
    var account: SpeedAccount { get }
    /// Settles every channel the trader is paid on, as its provider does on a close.
    func settleAll(now: SimTime)
}

extension SpeedStrategy: SpeedTrader {}
