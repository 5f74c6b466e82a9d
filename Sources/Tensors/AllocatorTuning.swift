import COpenBLAS

/// Training allocates the same large buffers (tens of MB) step after step. glibc serves blocks
/// that large with `mmap` and returns them with `munmap`, so every step pays page faults and the
/// kernel's zeroing of fresh pages again. Raising the mmap and trim thresholds keeps freed
/// buffers in the heap for the next step (measured in bench/trainer: about 5% of a step).
/// Process-wide; the freed memory stays with the process (up to `retainedBytes`).
public enum AllocatorTuning {
    public static func keepLargeBuffers(retainedBytes: Int32 = 512 << 20) {
        _ = mallopt(M_MMAP_THRESHOLD, 64 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, retainedBytes)
    }
}
