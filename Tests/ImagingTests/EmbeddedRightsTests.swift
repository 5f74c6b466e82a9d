import Foundation
import StrictDocuments
import TestFixtures
import Testing

@testable import Imaging

/// Reservations against AI training inside image files (issue 17, item 5): IPTC/PLUS
/// `plus:DataMining` in XMP and C2PA training-and-mining assertions, on fixtures written by
/// Pillow and c2pa-python (scripts/make-rights-fixtures); hostile metadata is skipped with a
/// note, never a crash or a hang.
@Suite struct EmbeddedRightsTests {
    private func rights(_ name: String, limits: ImageLimits = ImageLimits()) throws -> EmbeddedRights {
        try ImageIntake.process(try Fixture.bytes(name), limits: limits).rights
    }

    @Test(arguments: [
        ("rights-xmp-aiml.jpg", "DMI-PROHIBITED-AIMLTRAINING", "XMP plus:DataMining (JPEG APP1)", false),
        ("rights-xmp-genai.png", "DMI-PROHIBITED-GENAIMLTRAINING", "XMP plus:DataMining (PNG iTXt XML:com.adobe.xmp)", true),
        ("rights-xmp-seeconstraint.webp", "DMI-PROHIBITED-SEECONSTRAINT", "XMP plus:DataMining (WebP XMP chunk)", false),
    ])
    func xmpDataMiningIsReadInEveryFormat(fixture: String, signal: String, location: String, generativeOnly: Bool) throws {
        let found = try rights(fixture)
        #expect(found.reservations == [TrainingReservation(signal: signal, location: location, generativeOnly: generativeOnly)])
        #expect(found.notes.isEmpty)
    }

    @Test func anAllowanceIsNoReservation() throws {
        #expect(try rights("rights-xmp-allowed.jpg") == EmbeddedRights())
        #expect(try rights("china.jpg") == EmbeddedRights(), "a photo with no XMP or C2PA at all")
    }

    @Test func c2paTrainingMiningAssertionsAreRead() throws {
        // A manifest with a thumbnail spans several APP11 segments, reassembled in order.
        let jpeg = try rights("rights-c2pa-notallowed.jpg")
        #expect(
            jpeg.reservations == [
                TrainingReservation(
                    signal: "c2pa.ai_training: notAllowed", location: "C2PA c2pa.training-mining (JPEG APP11)", generativeOnly: false),
                TrainingReservation(
                    signal: "c2pa.data_mining: notAllowed", location: "C2PA c2pa.training-mining (JPEG APP11)", generativeOnly: false),
            ])
        let png = try rights("rights-c2pa-genai.png")
        #expect(
            png.reservations == [
                TrainingReservation(
                    signal: "c2pa.ai_generative_training: notAllowed", location: "C2PA c2pa.training-mining (PNG caBX chunk)",
                    generativeOnly: true)
            ], "an allowed entry is no reservation")
    }

    @Test(arguments: [
        ("rights-xmp-entities.jpg", "document type declaration"),
        ("rights-xmp-deep.jpg", "nested deeper than 64"),
        ("rights-xmp-malformed.png", "malformed"),
    ])
    func hostileXMPIsSkippedWithANote(fixture: String, note: String) throws {
        let started = Date()
        let found = try rights(fixture)
        #expect(found.notes.count == 1 && found.notes[0].contains(note), "\(found.notes)")
        // The malformed packet's value came before its error: read, and honoured.
        #expect(found.reservations.map(\.signal) == (fixture.hasSuffix("malformed.png") ? ["DMI-PROHIBITED"] : []))
        #expect(Date().timeIntervalSince(started) < 60, "no hang")
    }

    /// The byte check for a DTD sees ASCII only; libxml2 reads UTF-16 too. A DTD in a UTF-16
    /// packet stops the parser at the declaration (and nothing it allocated for it is leaked).
    @Test func aDocumentTypeInUTF16IsStoppedByTheParser() {
        let text = #"<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY e "DMI-PROHIBITED">]><x>&e;</x>"#
        let utf16: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (values, note) = XMPDataMiningReader.values(in: utf16[...], maxBytes: 1 << 20, maxDepth: 64)
        #expect(values.isEmpty && note?.contains("document type declaration") == true, "\(String(describing: note))")
    }

    @Test func hostileMetadataCannotGrowTheRecord() {
        let codes = (0..<100).map { "DMI-PROHIBITED-" + String(repeating: "X", count: 1000 + $0) }
        let rights = EmbeddedRightsReader.read(
            xmpPacket: Array(
                ("<x:xmpmeta xmlns:x='adobe:ns:meta/' xmlns:plus='http://ns.useplus.org/ldf/xmp/1.0/'>"
                    + codes.map { "<plus:DataMining>\($0)</plus:DataMining>" }.joined() + "</x:xmpmeta>").utf8))
        #expect(rights.reservations.count == EmbeddedRightsReader.maxReservations)
        #expect(rights.reservations.allSatisfy { $0.signal.count <= EmbeddedRightsReader.maxSignalLength })
        #expect(rights.notes.last?.contains("more reservations or notes than kept") == true)
    }

    @Test func aPacketOverTheLimitIsNotRead() throws {
        var limits = ImageLimits()
        limits.maxXMPBytes = 100
        let found = try rights("rights-xmp-aiml.jpg", limits: limits)
        #expect(found.reservations.isEmpty && found.notes.first?.contains("limit 100") == true, "\(found.notes)")
        limits.maxC2PABytes = 1000
        #expect(try rights("rights-c2pa-notallowed.jpg", limits: limits).notes.first?.contains("limit 1000") == true)
    }

    @Test func hostileCBORAndJUMBFAreRefusedNotFollowed() throws {
        // Nested arrays far past the depth bound, a length past the end, a map of 2^32 entries.
        #expect(throws: CBORReader.Malformed.self) { try CBORReader.read(ArraySlice(Array(repeating: 0x81, count: 10_000) + [0x00])) }
        #expect(throws: CBORReader.Malformed.self) { try CBORReader.read([0x5A, 0xFF, 0xFF, 0xFF, 0xFF, 0x00]) }
        #expect(throws: CBORReader.Malformed.self) { try CBORReader.read([0xBA, 0xFF, 0xFF, 0xFF, 0xFF]) }
        #expect(throws: CBORReader.Malformed.self) { try CBORReader.read([0x9F, 0xFF]) }
        #expect(try CBORReader.read([0xA1, 0x63, 0x75, 0x73, 0x65, 0x6A] + Array("notAllowed".utf8)) == .object(["use": .string("notAllowed")]))
        // A box claiming more bytes than there are; a superbox without its description.
        #expect(throws: JUMBFBoxes.Malformed.self) { try JUMBFBoxes.boxes(in: [0x00, 0x00, 0xFF, 0xFF] + Array("jumb".utf8)) }
        #expect(throws: JUMBFBoxes.Malformed.self) {
            try JUMBFBoxes.walk(ArraySlice([0x00, 0x00, 0x00, 0x10] + Array("jumb".utf8) + [0x00, 0x00, 0x00, 0x08] + Array("cbor".utf8))) { _, _ in }
        }
    }
}
