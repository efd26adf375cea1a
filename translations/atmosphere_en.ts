<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en">
<context>
    <name>BuildPage</name>
    <message numerus="yes">
        <source>Built and signed %n package(s).</source>
        <translation>
            <numerusform>Built and signed %n package.</numerusform>
            <numerusform>Built and signed %n packages.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ContentsPage</name>
    <message numerus="yes">
        <source>%n problem(s) must be fixed before the package can be built. Choose a missing model&apos;s row to add its file or remove it from the mission; fix the others in the mission folder, then rescan.</source>
        <translation>
            <numerusform>%n problem must be fixed before the package can be built. Choose a missing model&apos;s row to add its file or remove it from the mission; fix the others in the mission folder, then rescan.</numerusform>
            <numerusform>%n problems must be fixed before the package can be built. Choose a missing model&apos;s row to add its file or remove it from the mission; fix the others in the mission folder, then rescan.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) must be fixed in the mission folder before the package can be built. Fix them, then rescan.</source>
        <translation>
            <numerusform>%n problem must be fixed in the mission folder before the package can be built. Fix it, then rescan.</numerusform>
            <numerusform>%n problems must be fixed in the mission folder before the package can be built. Fix them, then rescan.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n file</numerusform>
            <numerusform>%n files</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n running</numerusform>
            <numerusform>%n running</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n waiting</numerusform>
            <numerusform>%n waiting</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n paused</numerusform>
            <numerusform>%n paused</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done</source>
        <translation>
            <numerusform>%n done</numerusform>
            <numerusform>%n done</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n second</numerusform>
            <numerusform>%n seconds</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ImportVerifyView</name>
    <message numerus="yes">
        <source>%1 of %n file(s) checked</source>
        <translation>
            <numerusform>%1 of %n file checked</numerusform>
            <numerusform>%1 of %n files checked</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) intact</source>
        <translation>
            <numerusform>%n file intact</numerusform>
            <numerusform>%n files intact</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n failed</numerusform>
            <numerusform>%n failed</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not in this export</source>
        <translation>
            <numerusform>%n not in this export</numerusform>
            <numerusform>%n not in this export</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) listed in the manifest</source>
        <translation>
            <numerusform>%n file listed in the manifest</numerusform>
            <numerusform>%n files listed in the manifest</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message numerus="yes">
        <source>%n download(s) not finished (Ctrl+5)</source>
        <translation>
            <numerusform>%n download not finished (Ctrl+5)</numerusform>
            <numerusform>%n downloads not finished (Ctrl+5)</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MeshCatalogModel</name>
    <message numerus="yes">
        <source>%n peer(s) offer different bytes under this id; they are never used for it.</source>
        <translation>
            <numerusform>%n peer offers different bytes under this id; it is never used for it.</numerusform>
            <numerusform>%n peers offer different bytes under this id; they are never used for it.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MeshPresence</name>
    <message numerus="yes">
        <source>Serving %n model(s) on %1.</source>
        <translation>
            <numerusform>Serving %n model on %1.</numerusform>
            <numerusform>Serving %n models on %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n library file(s) skipped.</source>
        <translation>
            <numerusform>%n library file skipped.</numerusform>
            <numerusform>%n library files skipped.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MeshView</name>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n model</numerusform>
            <numerusform>%n models</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n model(s) match</source>
        <translation>
            <numerusform>%1 of %n model matches</numerusform>
            <numerusform>%1 of %n models match</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 from %2 and %n other peer(s)</source>
        <translation>
            <numerusform>%1 from %2 and %n other peer</numerusform>
            <numerusform>%1 from %2 and %n other peers</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MissionContentsModel</name>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n chunk</numerusform>
            <numerusform>%n chunks</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>MissionPage</name>
    <message numerus="yes">
        <source>Found %n file(s).</source>
        <translation>
            <numerusform>Found %n file.</numerusform>
            <numerusform>Found %n files.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix on the next page.</source>
        <translation>
            <numerusform>%n problem to fix on the next page.</numerusform>
            <numerusform>%n problems to fix on the next page.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PackageStatus</name>
    <message numerus="yes">
        <source>Written to %n drive(s) %1</source>
        <translation>
            <numerusform>Written to %n drive %1</numerusform>
            <numerusform>Written to %n drives %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>On %n drive(s)</source>
        <translation>
            <numerusform>On %n drive</numerusform>
            <numerusform>On %n drives</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeerDirectory</name>
    <message numerus="yes">
        <source>%n catalog entries rejected, first: %1</source>
        <translation>
            <numerusform>%n catalog entry rejected: %1</numerusform>
            <numerusform>%n catalog entries rejected, first: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>PeerPackagesView</name>
    <message numerus="yes">
        <source>%1 (+%n with other bytes)</source>
        <translation>
            <numerusform>%1 (+%n with other bytes)</numerusform>
            <numerusform>%1 (+%n with other bytes)</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Could not ask %n peer(s): %1</source>
        <translation>
            <numerusform>Could not ask %n peer: %1</numerusform>
            <numerusform>Could not ask %n peers: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>QrCode</name>
    <message numerus="yes">
        <source>The text is too long for a QR code (%n bytes).</source>
        <translation>
            <numerusform>The text is too long for a QR code (%n byte).</numerusform>
            <numerusform>The text is too long for a QR code (%n bytes).</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>RelayPresence</name>
    <message numerus="yes">
        <source>%n other node(s): %1</source>
        <translation>
            <numerusform>%n other node: %1</numerusform>
            <numerusform>%n other nodes: %1</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>ReportWriter</name>
    <message numerus="yes">
        <source>Files (%n):</source>
        <translation>
            <numerusform>Files (%n):</numerusform>
            <numerusform>Files (%n):</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>UsbExportView</name>
    <message numerus="yes">
        <source>&amp;Write to %n drive(s)</source>
        <translation>
            <numerusform>&amp;Write to %n drive</numerusform>
            <numerusform>&amp;Write to %n drives</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Writing %1 to %n drive(s)…</source>
        <translation>
            <numerusform>Writing %1 to %n drive…</numerusform>
            <numerusform>Writing %1 to %n drives…</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Written and verified on %n drive(s).</source>
        <translation>
            <numerusform>Written and verified on %n drive.</numerusform>
            <numerusform>Written and verified on %n drives.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message numerus="yes">
        <source>%1 %2: signed by a trusted mesh authority; all %n file(s) match their checksums.</source>
        <translation>
            <numerusform>%1 %2: signed by a trusted mesh authority; its %n file matches its checksum.</numerusform>
            <numerusform>%1 %2: signed by a trusted mesh authority; all %n files match their checksums.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) for other tiers are not in this export.</source>
        <translation>
            <numerusform>%n file for other tiers is not in this export.</numerusform>
            <numerusform>%n files for other tiers are not in this export.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>TierReason</name>
    <message numerus="yes">
        <source>%n core(s)</source>
        <translation>
            <numerusform>%n core</numerusform>
            <numerusform>%n cores</numerusform>
        </translation>
    </message>
</context>
</TS>
