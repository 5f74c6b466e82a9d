/// When a Float32 gradient agrees with a numeric derivative of the Double reference.
///
/// The numeric side is a central difference of the reference forward pass (in Double) with step
/// `step`: its truncation error is about step²/6·|f‴| ≈ 2·10⁻⁹·|f‴| and its rounding about
/// 10⁻¹⁶·|L|/step ≈ 10⁻¹¹, both far below what is compared here, and neither depends on BLAS.
///
/// The analytic side is the Float32 backward pass, which rounds: each of its sums of at most n
/// products errs by at most n·u times the sum of the terms' magnitudes, whatever the order or
/// fused multiply-adds (Higham, "Accuracy and Stability of Numerical Algorithms", §3.1), with
/// u = 2⁻²⁴ ≈ 6·10⁻⁸. The largest sums in these tests have about 1,000 terms: 6·10⁻⁵ of the
/// terms' size, worst case. A gradient element that is a small difference of large terms errs
/// relative to those terms, not to itself: `scale`, the largest analytic element of the same
/// tensor, stands for their size.
///
/// So an element passes when |analytic − numeric| ≤ 10⁻³·(|numeric| + scale): 16 times the
/// worst-case rounding bound, and 20 times tighter than the 2% relative error a wrong backward
/// pass must not hide behind (`theCheckCatchesAWrongGradient`, `theComposedCheckCatchesATwoPercentErrorInOneLayer`).
enum GradientTolerance {
    static let relative = 1e-3
    /// The finite-difference step, in the units of the probed values (which are of order 1).
    static let step = 1e-4

    static func accepts(analytic: Double, numeric: Double, scale: Double) -> Bool {
        abs(analytic - numeric) <= relative * (abs(numeric) + scale)
    }

    /// The central difference of `f` at `value`.
    static func centralDifference(at value: Double, _ f: (Double) -> Double) -> Double {
        (f(value + step) - f(value - step)) / (2 * step)
    }
}
