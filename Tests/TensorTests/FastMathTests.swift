import Foundation
import Tensor
import XCTest

/// The inlined math against libm over dense grids.
final class FastMathTests: XCTestCase {
    func testExpRelativeErrorIsWithinTwoUlpsScale() {
        var worst: Double = 0
        for i in -8700...8800 {
            let x = Float(i) / 100
            let exact = Foundation.exp(Double(x))
            worst = max(worst, abs(Double(FastMath.exp(x)) - exact) / exact)
        }
        XCTAssertLessThan(worst, 3e-7)  // 2.5 ulp of F32
        XCTAssertEqual(FastMath.exp(-200), 0)
    }

    func testErfAbsoluteError() {
        var worst: Double = 0
        for i in -6000...6000 {
            let x = Float(i) / 1000
            worst = max(worst, abs(Double(FastMath.erf(x)) - Foundation.erf(Double(x))))
        }
        XCTAssertLessThan(worst, 3e-7)
    }

    func testTanhAbsoluteError() {
        var worst: Double = 0
        for i in -2000...2000 {
            let x = Float(i) / 100
            worst = max(worst, abs(Double(FastMath.tanh(x)) - Foundation.tanh(Double(x))))
        }
        XCTAssertLessThan(worst, 3e-7)
    }
}
