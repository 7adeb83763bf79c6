import ArgumentParser
import Inspection
import Foundation

extension PreprocessingPreset: ExpressibleByArgument {}

/// `viral preprocess`: an image file as a tower's `pixel_values`, for comparison with transformers.
struct PreprocessCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preprocess",
        abstract: "Preprocess an image as a vision tower's processor does and write pixel_values [1, 3, S, S].")

    @Option(help: "PNG or JPEG file.")
    var image: String

    @Option(help: "Processor: clip (resize shortest edge + centre crop), siglip or dinov2 (direct resize).")
    var preset: PreprocessingPreset

    @Option(help: "Output side length S (default: 336 for clip and dinov2, 384 for siglip).")
    var size: Int?

    @Flag(help: "Pad to a square with the mean colour first (LLaVA stage 2).")
    var pad = false

    @Option(help: "Safetensors file to write pixel_values to.")
    var output: String

    mutating func run() throws {
        let tensors = try PixelValuesExport.pixelValues(imageAt: image, preset: preset, size: size, pad: pad)
        try tensors.write(to: URL(fileURLWithPath: output))
        print("pixel_values \(tensors["pixel_values"]!.shape): wrote \(output)")
    }
}
