/// A permutation of `count` positions that depends only on `key`, the same on every machine and
/// every run (Swift's `Hasher` is seeded per process, so it cannot be used): FNV-1a of the key's
/// UTF-8 bytes seeds SplitMix64, which drives a Fisher–Yates shuffle.
func deterministicPermutation(count: Int, key: String) -> [Int] {
    var state: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in key.utf8 {
        state = (state ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
    var order = Array(0..<count)
    for i in stride(from: count - 1, to: 0, by: -1) {
        let j = Int(next() % UInt64(i + 1))
        order.swapAt(i, j)
    }
    return order
}
