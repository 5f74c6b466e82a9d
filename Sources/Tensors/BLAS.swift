import COpenBLAS

/// The matrix products every layer is built on, through OpenBLAS's `cblas_sgemm`.
public enum BLAS {
    /// OpenBLAS's own thread count (it starts one per core). The trainer sets it from its
    /// configuration so that training leaves cores to the HTTP server.
    public static var threads: Int {
        get { Int(openblas_get_num_threads()) }
        set { openblas_set_num_threads(Int32(max(1, newValue))) }
    }

    /// C = alpha · op(A) · op(B) + beta · C, all row-major; op transposes when asked.
    /// - Parameters: `m`×`k` is op(A), `k`×`n` is op(B), `m`×`n` is C.
    public static func gemm(
        transposeA: Bool = false, transposeB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        _ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, beta: Float = 0, _ c: UnsafeMutablePointer<Float>
    ) {
        cblas_sgemm(
            CblasRowMajor, transposeA ? CblasTrans : CblasNoTrans, transposeB ? CblasTrans : CblasNoTrans,
            Int32(m), Int32(n), Int32(k), alpha, a, Int32(transposeA ? m : k), b, Int32(transposeB ? k : n), beta, c, Int32(n))
    }

    /// C = op(A) · op(B) for whole arrays (row-major), a new array.
    public static func matmul(
        _ a: [Float], _ b: [Float], m: Int, n: Int, k: Int, transposeA: Bool = false, transposeB: Bool = false
    ) -> [Float] {
        var c = [Float](repeating: 0, count: m * n)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, a.baseAddress!, b.baseAddress!, c.baseAddress!)
                }
            }
        }
        return c
    }
}
