import Vision
import XCTest

/// Size rules and pixel placement of LLaVA's expand2square and transformers' resize/crop.
final class GeometryTests: XCTestCase {
    /// transformers truncates the long side: int(336 * 500 / 333) = 504, int(336 * 640 / 480) = 448.
    func testShortestEdgeTruncatesLongSide() {
        XCTAssertEqual(ImageSize(width: 500, height: 333).resizedToShortestEdge(336), ImageSize(width: 504, height: 336))
        XCTAssertEqual(ImageSize(width: 480, height: 640).resizedToShortestEdge(336), ImageSize(width: 336, height: 448))
        XCTAssertEqual(ImageSize(width: 17, height: 33).resizedToShortestEdge(32), ImageSize(width: 32, height: 62))
        XCTAssertEqual(ImageSize(width: 50, height: 50).resizedToShortestEdge(32), ImageSize(width: 32, height: 32))
    }

    /// A 5x2 image goes to rows (5 - 2) // 2 = 1 of a 5x5 square.
    func testExpandToSquarePastesAtFloorOffset() {
        var image = RGBImage(width: 5, height: 2, filledWith: RGBColor(red: 1, green: 1, blue: 1))
        image[4, 1] = RGBColor(red: 9, green: 9, blue: 9)
        let gray = RGBColor(red: 122, green: 116, blue: 104)
        let square = image.expandedToSquare(background: gray)
        XCTAssertEqual(square.size, ImageSize(square: 5))
        XCTAssertEqual(square[0, 0], gray)
        XCTAssertEqual(square[0, 1], RGBColor(red: 1, green: 1, blue: 1))
        XCTAssertEqual(square[4, 2], RGBColor(red: 9, green: 9, blue: 9))
        XCTAssertEqual(square[0, 3], gray)

        let tall = RGBImage(width: 2, height: 5, filledWith: .black).expandedToSquare(background: gray)
        XCTAssertEqual(tall[0, 0], gray)
        XCTAssertEqual(tall[1, 0], .black)
        XCTAssertEqual(tall[2, 4], .black)
        XCTAssertEqual(tall[3, 0], gray)
    }

    /// Window at ((w - cw) // 2, (h - ch) // 2).
    func testCenterCropOffsets() {
        var image = RGBImage(width: 7, height: 4, filledWith: .black)
        for x in 0..<7 { for y in 0..<4 { image[x, y] = RGBColor(red: UInt8(x), green: UInt8(y), blue: 0) } }
        let crop = image.centerCropped(to: ImageSize(width: 4, height: 3))
        XCTAssertEqual(crop.size, ImageSize(width: 4, height: 3))
        XCTAssertEqual(crop[0, 0], RGBColor(red: 1, green: 0, blue: 0))
        XCTAssertEqual(crop[3, 2], RGBColor(red: 4, green: 2, blue: 0))
    }

    /// A crop larger than the image pads with black, the image offset by ceil(pad / 2),
    /// as transformers' center_crop does: a 3x2 image cropped to 6x5 sits at (2, 2).
    func testCenterCropLargerThanImagePadsWithBlack() {
        let white = RGBColor(red: 255, green: 255, blue: 255)
        let image = RGBImage(width: 3, height: 2, filledWith: white)
        let crop = image.centerCropped(to: ImageSize(width: 6, height: 5))
        XCTAssertEqual(crop.size, ImageSize(width: 6, height: 5))
        for y in 0..<5 {
            for x in 0..<6 {
                let inside = (2..<5).contains(x) && (2..<4).contains(y)
                XCTAssertEqual(crop[x, y], inside ? white : .black, "(\(x), \(y))")
            }
        }
    }
}
