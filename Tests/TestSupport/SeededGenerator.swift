import Foundation

/// A small deterministic random generator (SplitMix64) for property tests. Its seed is
/// `BESKPLAN_TEST_SEED` when set, else a new one; the seed is printed, so a failure seen once
/// can be run again exactly.
public struct SeededGenerator: RandomNumberGenerator {
    public let seed: UInt64
    private var state: UInt64

    /// `test` names the test in the printed line.
    public init(for test: String) {
        let given = ProcessInfo.processInfo.environment["BESKPLAN_TEST_SEED"].flatMap { UInt64($0) }
        seed = given ?? UInt64.random(in: 1...UInt64.max)
        state = seed
        print("\(test): random seed \(seed) (run again with BESKPLAN_TEST_SEED=\(seed))")
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
