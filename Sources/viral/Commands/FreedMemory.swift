import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Keeps freed memory in the process for the next training step. glibc serves each allocation
/// above 128 KiB (an activation of a batch) with its own mmap and unmaps it when freed, so every
/// step faults its buffers in afresh: a fifth of the built-in models' pretraining time went to
/// the kernel. Serving them from the heap and never trimming it removes that. (`mallopt` is
/// declared in <malloc.h>, which Swift's Glibc module does not import, hence the look-up.)
func keepFreedMemory() {
    #if canImport(Glibc)
    typealias MalloptFunction = @convention(c) (Int32, Int32) -> Int32
    guard let symbol = dlsym(nil, "mallopt") else { return }
    let mallopt = unsafeBitCast(symbol, to: MalloptFunction.self)
    let trimThreshold: Int32 = -1, mmapThreshold: Int32 = -3  // M_TRIM_THRESHOLD, M_MMAP_THRESHOLD
    _ = mallopt(mmapThreshold, 1 << 30)
    _ = mallopt(trimThreshold, Int32.max)
    #endif
}
