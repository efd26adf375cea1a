<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>BuildPage</name>
    <message>
        <source>Build</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Hashing every file, signing the manifest and writing the package.</source>
        <translation>Alle Dateien werden gehasht, das Manifest signiert und das Paket geschrieben.</translation>
    </message>
    <message>
        <source>Build step</source>
        <translation>Erstellungsschritt</translation>
    </message>
    <message>
        <source>Build result</source>
        <translation>Ergebnis der Erstellung</translation>
    </message>
    <message>
        <source>Packages written</source>
        <translation>Geschriebene Pakete</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Sizes by tier</source>
        <translation>Größen nach Stufe</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Open the output folder</source>
        <translation>Den Ausgabeordner öffnen</translation>
    </message>
    <message>
        <source>&amp;Verify it now</source>
        <translation>Jetzt &amp;prüfen</translation>
    </message>
    <message>
        <source>Verify the package in Import and Verify</source>
        <translation>Das Paket unter „Import &amp; Prüfung“ prüfen</translation>
    </message>
    <message>
        <source>&amp;Try again</source>
        <translation>&amp;Erneut versuchen</translation>
    </message>
    <message>
        <source>Build again</source>
        <translation>Erneut erstellen</translation>
    </message>
    <message>
        <source>full package</source>
        <translation>vollständiges Paket</translation>
    </message>
    <message>
        <source>Package %1 of %2: %3</source>
        <translation>Paket %1 von %2: %3</translation>
    </message>
    <message>
        <source>Full package</source>
        <translation>Vollständiges Paket</translation>
    </message>
    <message>
        <source>Content size by tier: %1</source>
        <translation>Inhaltsgröße nach Stufe: %1</translation>
    </message>
    <message numerus="yes">
        <source>Built and signed %n package(s).</source>
        <translation>
            <numerusform>%n Paket erstellt und signiert.</numerusform>
            <numerusform>%n Pakete erstellt und signiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Build cancelled; no partial package was left behind.</source>
        <translation>Erstellung abgebrochen; es blieb kein unvollständiges Paket zurück.</translation>
    </message>
    <message>
        <source>Build failed: %1</source>
        <translation>Erstellung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Size or state</source>
        <translation>Größe oder Status</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Building…</source>
        <translation>Wird erstellt …</translation>
    </message>
    <message>
        <source>Written</source>
        <translation>Geschrieben</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>Not written</source>
        <translation>Nicht geschrieben</translation>
    </message>
    <message>
        <source>Go to &amp;USB export</source>
        <translation>Zum &amp;USB-Export</translation>
    </message>
    <message>
        <source>Write the package to USB drives in USB Export</source>
        <translation>Das Paket im USB-Export auf USB-Laufwerke schreiben</translation>
    </message>
    <message>
        <source>%1 export</source>
        <translation>Export für %1</translation>
    </message>
    <message>
        <source>Delta update from %1, %2 export</source>
        <translation>Delta-Update von %1, Export für %2</translation>
    </message>
    <message>
        <source>Delta update from %1</source>
        <translation>Delta-Update von %1</translation>
    </message>
    <message>
        <source>%1 (complete: %2)</source>
        <translation>%1 (vollständig: %2)</translation>
    </message>
</context>
<context>
    <name>BuildView</name>
    <message>
        <source>Build a signed package from a mission folder: pick the files, the tiers and the keys, and the builder hashes, signs and writes it.</source>
        <translation>Erstellen Sie ein signiertes Paket aus einem Missionsordner: Wählen Sie Dateien, Stufen und Schlüssel – der Assistent hasht, signiert und schreibt es.</translation>
    </message>
    <message>
        <source>&amp;New package…</source>
        <translation>&amp;Neues Paket …</translation>
    </message>
    <message>
        <source>Build a new package</source>
        <translation>Ein neues Paket erstellen</translation>
    </message>
    <message>
        <source>Open the package builder (Ctrl+N)</source>
        <translation>Den Paketassistenten öffnen (Strg+N)</translation>
    </message>
    <message>
        <source>Packages on this station</source>
        <translation>Pakete auf dieser Station</translation>
    </message>
    <message>
        <source>No packages yet. Press “New package…” to build the first one.</source>
        <translation>Noch keine Pakete. Klicken Sie auf „Neues Paket …“, um das erste zu erstellen.</translation>
    </message>
    <message>
        <source>&amp;Verify selected</source>
        <translation>Auswahl &amp;prüfen</translation>
    </message>
    <message>
        <source>Verify the selected package</source>
        <translation>Das ausgewählte Paket prüfen</translation>
    </message>
    <message>
        <source>Open &amp;folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Open the folder of the selected package</source>
        <translation>Den Ordner des ausgewählten Pakets öffnen</translation>
    </message>
</context>
<context>
    <name>ContentsPage</name>
    <message>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Everything the package will carry. Tick the tiers each model belongs to; configuration, agents, tools and knowledge go to every tier.</source>
        <translation>Alles, was das Paket enthalten wird. Haken Sie die Stufen an, zu denen jedes Modell gehört; Konfiguration, Agenten, Werkzeuge und Wissen gehen in jede Stufe.</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Probleme</translation>
    </message>
    <message>
        <source>Mission contents</source>
        <translation>Inhalt der Mission</translation>
    </message>
    <message>
        <source>Contents summary</source>
        <translation>Zusammenfassung des Inhalts</translation>
    </message>
    <message>
        <source>Re&amp;scan</source>
        <translation>Neu &amp;einlesen</translation>
    </message>
    <message>
        <source>Read the mission folder again</source>
        <translation>Den Missionsordner erneut einlesen</translation>
    </message>
    <message>
        <source>&amp;Open folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>Open the mission folder</source>
        <translation>Den Missionsordner öffnen</translation>
    </message>
    <message>
        <source>Reading the mission…</source>
        <translation>Mission wird eingelesen …</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) must be fixed in the mission folder before the package can be built. Fix them, then rescan.</source>
        <translation>
            <numerusform>%n Problem muss im Missionsordner behoben werden, bevor das Paket erstellt werden kann. Beheben Sie es und lesen Sie dann neu ein.</numerusform>
            <numerusform>%n Probleme müssen im Missionsordner behoben werden, bevor das Paket erstellt werden kann. Beheben Sie sie und lesen Sie dann neu ein.</numerusform>
        </translation>
    </message>
    <message>
        <source>The mission folder has no files to package.</source>
        <translation>Der Missionsordner enthält keine Dateien für ein Paket.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s)</source>
        <translation>
            <numerusform>%n Datei</numerusform>
            <numerusform>%n Dateien</numerusform>
        </translation>
    </message>
    <message>
        <source>&amp;Add the model file…</source>
        <translation>Modell&amp;datei hinzufügen…</translation>
    </message>
    <message>
        <source>Choose the model&apos;s file; it is copied into the mission&apos;s models folder under the name the mission gives it</source>
        <translation>Die Datei des Modells wählen; sie wird unter dem Namen, den die Mission ihr gibt, in den Modellordner der Mission kopiert</translation>
    </message>
    <message>
        <source>Remove from &amp;mission</source>
        <translation>Aus der &amp;Mission entfernen</translation>
    </message>
    <message>
        <source>Remove this model from config/mission.yaml; the package is built without it</source>
        <translation>Dieses Modell aus config/mission.yaml entfernen; das Paket wird ohne es erstellt</translation>
    </message>
    <message>
        <source>The file of model %1</source>
        <translation>Die Datei des Modells %1</translation>
    </message>
    <message>
        <source>%1: not a file</source>
        <translation>%1: keine Datei</translation>
    </message>
    <message>
        <source>Copying %1 (%2)…</source>
        <translation>%1 wird kopiert (%2)…</translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) must be fixed before the package can be built. Choose a missing model&apos;s row to add its file or remove it from the mission; fix the others in the mission folder, then rescan.</source>
        <translation>
            <numerusform>%n Problem muss behoben werden, bevor das Paket erstellt werden kann. Wählen Sie die Zeile eines fehlenden Modells, um seine Datei hinzuzufügen oder es aus der Mission zu entfernen; beheben Sie die anderen im Missionsordner und lesen Sie dann neu ein.</numerusform>
            <numerusform>%n Probleme müssen behoben werden, bevor das Paket erstellt werden kann. Wählen Sie die Zeile eines fehlenden Modells, um seine Datei hinzuzufügen oder es aus der Mission zu entfernen; beheben Sie die anderen im Missionsordner und lesen Sie dann neu ein.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cannot copy %1 to %2: %3</source>
        <translation>%1 kann nicht nach %2 kopiert werden: %3</translation>
    </message>
</context>
<context>
    <name>CreateJob</name>
    <message>
        <source>Building</source>
        <translation>Erstellen</translation>
    </message>
</context>
<context>
    <name>CustodyModel</name>
    <message>
        <source>Signature invalid</source>
        <translation>Signatur ungültig</translation>
    </message>
    <message>
        <source>Signed, trusted as “%1”</source>
        <translation>Signiert, vertraut als „%1“</translation>
    </message>
    <message>
        <source>Signed, key not trusted</source>
        <translation>Signiert, Schlüssel nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>%1 — key %2</source>
        <translation>%1 – Schlüssel %2</translation>
    </message>
</context>
<context>
    <name>DemoWorkspace</name>
    <message>
        <source>The demo package does not contain the expected text.</source>
        <translation>Das Demopaket enthält den erwarteten Text nicht.</translation>
    </message>
    <message>
        <source>Cannot write %1.</source>
        <translation>%1 kann nicht geschrieben werden.</translation>
    </message>
</context>
<context>
    <name>DeviceFit</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>The free space in %1 is unknown (the filesystem does not say). Installing needs %2; a full disk stops the install with nothing changed.</source>
        <translation>Der freie Speicher in %1 ist unbekannt (das Dateisystem gibt ihn nicht an). Die Installation braucht %2; ist der Datenträger voll, bricht sie ab, ohne etwas zu ändern.</translation>
    </message>
    <message>
        <source>The tier thresholds in %1 cannot be used: fix or remove the file.</source>
        <translation>Die Stufen-Schwellen in %1 sind nicht verwendbar: Datei korrigieren oder entfernen.</translation>
    </message>
</context>
<context>
    <name>DeviceFitPanel</name>
    <message>
        <source>Unknown: %1</source>
        <translation>Unbekannt: %1</translation>
    </message>
    <message>
        <source>This machine</source>
        <translation>Dieses Gerät</translation>
    </message>
    <message>
        <source>Tier of this machine</source>
        <translation>Stufe dieses Geräts</translation>
    </message>
    <message>
        <source>Space needed and free</source>
        <translation>Benötigter und freier Speicher</translation>
    </message>
    <message>
        <source>Installed version</source>
        <translation>Installierte Version</translation>
    </message>
    <message>
        <source>Tier:</source>
        <translation>Stufe:</translation>
    </message>
    <message>
        <source>Space:</source>
        <translation>Speicher:</translation>
    </message>
    <message>
        <source>Installed:</source>
        <translation>Installiert:</translation>
    </message>
    <message>
        <source>—</source>
        <translation>—</translation>
    </message>
    <message>
        <source>%1 — this package has every file it needs</source>
        <translation>%1 – dieses Paket enthält alle benötigten Dateien</translation>
    </message>
    <message>
        <source>%1 — this package lacks files this tier needs</source>
        <translation>%1 – diesem Paket fehlen Dateien, die diese Stufe braucht</translation>
    </message>
    <message>
        <source>%1 free</source>
        <translation>%1 frei</translation>
    </message>
    <message>
        <source>%1 needed, %2 free</source>
        <translation>%1 benötigt, %2 frei</translation>
    </message>
    <message>
        <source>Not installed yet; this is version %1</source>
        <translation>Noch nicht installiert; dies ist Version %1</translation>
    </message>
    <message>
        <source>Version %1 is installed; this package (%2) is not newer</source>
        <translation>Version %1 ist installiert; dieses Paket (%2) ist nicht neuer</translation>
    </message>
    <message>
        <source>Version %1 is installed; this package updates it to %2</source>
        <translation>Version %1 ist installiert; dieses Paket aktualisiert auf %2</translation>
    </message>
    <message>
        <source>Why this tier</source>
        <translation>Warum diese Stufe</translation>
    </message>
    <message>
        <source>%1 (set in settings)</source>
        <translation>%1 (in den Einstellungen festgelegt)</translation>
    </message>
    <message>
        <source>Delta update</source>
        <translation>Delta-Update</translation>
    </message>
    <message>
        <source>Base version check</source>
        <translation>Prüfung der Basisversion</translation>
    </message>
    <message>
        <source>Update:</source>
        <translation>Update:</translation>
    </message>
    <message>
        <source>Base:</source>
        <translation>Basis:</translation>
    </message>
    <message>
        <source>Delta update %1 → %2: only what changed; the rest comes from the installed version</source>
        <translation>Delta-Update %1 → %2: nur das Geänderte; der Rest kommt aus der installierten Version</translation>
    </message>
</context>
<context>
    <name>DownloadListModel</name>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>Checking… %1 %</source>
        <translation>Wird geprüft … %1 %</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Wird heruntergeladen</translation>
    </message>
    <message>
        <source>Verifying… %1 %</source>
        <translation>Wird verifiziert … %1 %</translation>
    </message>
    <message>
        <source>Verifying…</source>
        <translation>Wird verifiziert …</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Wird gestartet …</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Angehalten</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Already in the library</source>
        <translation>Schon in der Bibliothek</translation>
    </message>
    <message>
        <source>Already downloaded</source>
        <translation>Schon heruntergeladen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Geschwindigkeit</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
</context>
<context>
    <name>DownloadManager</name>
    <message>
        <source>cannot be paused while %1</source>
        <translation>kann nicht angehalten werden, solange %1</translation>
    </message>
    <message>
        <source>cannot be resumed while %1</source>
        <translation>kann nicht fortgesetzt werden, solange %1</translation>
    </message>
    <message>
        <source>cannot be cancelled while %1</source>
        <translation>kann nicht abgebrochen werden, solange %1</translation>
    </message>
    <message>
        <source>cannot be retried while %1</source>
        <translation>kann nicht wiederholt werden, solange %1</translation>
    </message>
    <message>
        <source>another download of it is under way</source>
        <translation>es wird bereits anderweitig heruntergeladen</translation>
    </message>
    <message>
        <source>download %1: no such download</source>
        <translation>Download %1: kein solcher Download</translation>
    </message>
</context>
<context>
    <name>DownloadNote</name>
    <message>
        <source>node %1 through the relay</source>
        <translation>Knoten %1 über das Relay</translation>
    </message>
    <message>
        <source>No peer could deliver %1.</source>
        <translation>Kein Peer konnte %1 liefern.</translation>
    </message>
    <message>
        <source>The peers sent data for %1 that does not match its checksum; nothing of it was kept.</source>
        <translation>Die Peers haben für %1 Daten gesendet, die nicht zur Prüfsumme passen; nichts davon wurde behalten.</translation>
    </message>
    <message>
        <source>Not enough free space in %1 for %2: it needs %3, %4 are free.</source>
        <translation>Nicht genug freier Speicher in %1 für %2: nötig sind %3, frei sind %4.</translation>
    </message>
    <message>
        <source>The disk ran full while %1 was written to %2.</source>
        <translation>Der Datenträger wurde voll, während %1 nach %2 geschrieben wurde.</translation>
    </message>
    <message>
        <source>The folder %1 cannot be created.</source>
        <translation>Der Ordner %1 kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>%1 could not be written to %2.</source>
        <translation>%1 konnte nicht nach %2 geschrieben werden.</translation>
    </message>
    <message>
        <source>%1 cannot be downloaded: what the peers say about it is not usable.</source>
        <translation>%1 kann nicht heruntergeladen werden: Die Angaben der Peers dazu sind nicht verwendbar.</translation>
    </message>
    <message>
        <source>%1 sent damaged data and is no longer asked.</source>
        <translation>%1 hat beschädigte Daten gesendet und wird nicht mehr gefragt.</translation>
    </message>
    <message>
        <source>%1 stopped delivering.</source>
        <translation>%1 liefert nicht mehr.</translation>
    </message>
    <message>
        <source>%1 fetches the rest alone.</source>
        <translation>%1 holt den Rest allein.</translation>
    </message>
    <message>
        <source>The file did not match its checksum; fetching it again from %1.</source>
        <translation>Die Datei passte nicht zu ihrer Prüfsumme; sie wird erneut von %1 geholt.</translation>
    </message>
    <message>
        <source>Data for %1 from %2 did not match its checksum; nothing of it was kept.</source>
        <translation>Die Daten für %1 von %2 passten nicht zur Prüfsumme; nichts davon wurde behalten.</translation>
    </message>
</context>
<context>
    <name>DownloadRow</name>
    <message>
        <source>Download</source>
        <translation>Download</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Source peers</source>
        <translation>Quell-Peers</translation>
    </message>
    <message>
        <source>Peer problem</source>
        <translation>Problem mit einem Peer</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Anhalten</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Wiederholen</translation>
    </message>
    <message>
        <source>Open in Import &amp;&amp; Verify</source>
        <translation>In Import &amp;&amp; Prüfung öffnen</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>Saved as %1</source>
        <translation>Gespeichert als %1</translation>
    </message>
    <message>
        <source>from %1</source>
        <translation>von %1</translation>
    </message>
    <message>
        <source>opened in Import &amp; Verify to install</source>
        <translation>zum Installieren in „Import &amp; Prüfung“ geöffnet</translation>
    </message>
    <message>
        <source>Cancelled; the partial data was removed.</source>
        <translation>Abgebrochen; die unvollständigen Daten wurden entfernt.</translation>
    </message>
    <message>
        <source>From %1</source>
        <translation>Von %1</translation>
    </message>
    <message>
        <source>Peers: %1</source>
        <translation>Peers: %1</translation>
    </message>
    <message>
        <source>chunk %1 of %2</source>
        <translation>Block %1 von %2</translation>
    </message>
    <message>
        <source>installs after verifying</source>
        <translation>wird nach der Prüfung installiert</translation>
    </message>
    <message>
        <source>Pause %1</source>
        <translation>%1 anhalten</translation>
    </message>
    <message>
        <source>Resume %1</source>
        <translation>%1 fortsetzen</translation>
    </message>
    <message>
        <source>Cancel %1</source>
        <translation>%1 abbrechen</translation>
    </message>
    <message>
        <source>Retry %1</source>
        <translation>%1 wiederholen</translation>
    </message>
    <message>
        <source>Open %1 in Import and Verify</source>
        <translation>%1 in Import und Prüfung öffnen</translation>
    </message>
    <message>
        <source>%1 (direct HTTP)</source>
        <translation>%1 (direkt über HTTP)</translation>
    </message>
</context>
<context>
    <name>DownloadsPanel</name>
    <message>
        <source>Downloads</source>
        <translation>Downloads</translation>
    </message>
    <message>
        <source>Downloads summary</source>
        <translation>Übersicht der Downloads</translation>
    </message>
    <message>
        <source>C&amp;lear finished</source>
        <translation>Beendete &amp;leeren</translation>
    </message>
    <message>
        <source>Clear finished downloads</source>
        <translation>Beendete Downloads aus der Liste entfernen</translation>
    </message>
    <message>
        <source>Remove finished, failed and cancelled downloads from this list; files stay.</source>
        <translation>Fertige, fehlgeschlagene und abgebrochene Downloads aus dieser Liste entfernen; die Dateien bleiben.</translation>
    </message>
    <message>
        <source>Nothing downloaded yet. Choose a model or a package above and click Download.</source>
        <translation>Noch nichts heruntergeladen. Wählen Sie oben ein Modell oder ein Paket und klicken Sie auf „Herunterladen“.</translation>
    </message>
    <message numerus="yes">
        <source>%n running</source>
        <translation>
            <numerusform>%n läuft</numerusform>
            <numerusform>%n laufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n waiting</source>
        <translation>
            <numerusform>%n wartet</numerusform>
            <numerusform>%n warten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n paused</source>
        <translation>
            <numerusform>%n angehalten</numerusform>
            <numerusform>%n angehalten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n done</source>
        <translation>
            <numerusform>%n fertig</numerusform>
            <numerusform>%n fertig</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlgeschlagen</numerusform>
            <numerusform>%n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message>
        <source>Downloads (%1)</source>
        <translation>Downloads (%1)</translation>
    </message>
    <message>
        <source>Download notice</source>
        <translation>Hinweis zu Downloads</translation>
    </message>
    <message>
        <source>Download history</source>
        <translation>Download-Verlauf</translation>
    </message>
    <message>
        <source>Show or hide the earlier finished and cancelled downloads</source>
        <translation>Die früher beendeten und abgebrochenen Downloads zeigen oder ausblenden</translation>
    </message>
    <message>
        <source>Hide history</source>
        <translation>Verlauf ausblenden</translation>
    </message>
    <message>
        <source>History (%1)</source>
        <translation>Verlauf (%1)</translation>
    </message>
</context>
<context>
    <name>DriveListModel</name>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Write-protected</source>
        <translation>Schreibgeschützt</translation>
    </message>
    <message>
        <source>Not mounted</source>
        <translation>Nicht eingehängt</translation>
    </message>
    <message>
        <source>Mounted read-only</source>
        <translation>Nur lesbar eingehängt</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>Too small: needs %1</source>
        <translation>Zu klein: braucht %1</translation>
    </message>
    <message>
        <source>Fits</source>
        <translation>Passt</translation>
    </message>
    <message>
        <source>%1 mounted at %2 (%3, %4 free%5)</source>
        <translation>%1 eingehängt unter %2 (%3, %4 frei%5)</translation>
    </message>
    <message>
        <source>, read-only</source>
        <translation>, nur lesbar</translation>
    </message>
    <message>
        <source>Needs %1, has %2 free</source>
        <translation>Braucht %1, hat %2 frei</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Laufwerk</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source>Capacity</source>
        <translation>Kapazität</translation>
    </message>
    <message>
        <source>Free</source>
        <translation>Frei</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>This computer&apos;s own disk (its swap space)</source>
        <translation>Eigene Festplatte dieses Computers (sein Auslagerungsspeicher)</translation>
    </message>
    <message>
        <source>This computer&apos;s own disk (holds %1)</source>
        <translation>Eigene Festplatte dieses Computers (enthält %1)</translation>
    </message>
</context>
<context>
    <name>DriveNote</name>
    <message>
        <source>%1 is no longer mounted (pulled out?).</source>
        <translation>%1 ist nicht mehr eingehängt (abgezogen?).</translation>
    </message>
    <message>
        <source>The place to write on %1 is not a folder.</source>
        <translation>Der Zielort auf %1 ist kein Ordner.</translation>
    </message>
    <message>
        <source>%1 is read-only (write-protected, or mounted read-only).</source>
        <translation>%1 ist schreibgeschützt (Schreibschutz, oder nur lesend eingehängt).</translation>
    </message>
    <message>
        <source>This user may not write to %1.</source>
        <translation>Dieser Benutzer darf nicht auf %1 schreiben.</translation>
    </message>
    <message>
        <source>Not enough free space on %1.</source>
        <translation>Nicht genug freier Speicher auf %1.</translation>
    </message>
    <message>
        <source>No file could be created on %1.</source>
        <translation>Auf %1 konnte keine Datei angelegt werden.</translation>
    </message>
    <message>
        <source>Writing to %1 failed.</source>
        <translation>Schreiben auf %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>%1 did not store the data (flushing to the drive failed).</source>
        <translation>%1 hat die Daten nicht gespeichert (Zurückschreiben auf das Laufwerk fehlgeschlagen).</translation>
    </message>
    <message>
        <source>Reading back from %1 failed.</source>
        <translation>Zurücklesen von %1 fehlgeschlagen.</translation>
    </message>
    <message>
        <source>What %1 gave back differs from what was written: the drive is faulty.</source>
        <translation>Was %1 zurückgab, weicht vom Geschriebenen ab: Das Laufwerk ist fehlerhaft.</translation>
    </message>
    <message>
        <source>The verified file could not take its final name on %1.</source>
        <translation>Die geprüfte Datei konnte auf %1 nicht ihren endgültigen Namen erhalten.</translation>
    </message>
    <message>
        <source>No drive got the package: %1</source>
        <translation>Kein Laufwerk hat das Paket erhalten: %1</translation>
    </message>
    <message>
        <source>Cancelled; no partial file was left on %1.</source>
        <translation>Abgebrochen; auf %1 blieb keine halbe Datei zurück.</translation>
    </message>
    <message>
        <source>Ejected: safe to remove</source>
        <translation>Ausgeworfen: kann sicher entfernt werden</translation>
    </message>
    <message>
        <source>Unmounted: safe to remove, but it stays powered (powering off needs udisks2)</source>
        <translation>Ausgehängt: kann sicher entfernt werden, bleibt aber eingeschaltet (Abschalten braucht udisks2)</translation>
    </message>
    <message>
        <source>Unmounted: safe to remove</source>
        <translation>Ausgehängt: kann sicher entfernt werden</translation>
    </message>
    <message>
        <source>Not ejected: a file on it is still open</source>
        <translation>Nicht ausgeworfen: Eine Datei darauf ist noch geöffnet</translation>
    </message>
    <message>
        <source>Not ejected: it could not be unmounted or powered off (see the details)</source>
        <translation>Nicht ausgeworfen: Es konnte nicht ausgehängt oder abgeschaltet werden (siehe Einzelheiten)</translation>
    </message>
</context>
<context>
    <name>DriveProgressRow</name>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt;&amp;nbsp;&amp;nbsp;&lt;span style=&apos;color:#5f6b76&apos;&gt;%2&lt;/span&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt;&amp;nbsp;&amp;nbsp;&lt;span style=&apos;color:#5f6b76&apos;&gt;%2&lt;/span&gt;</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>Laufwerk</translation>
    </message>
    <message>
        <source>Phase</source>
        <translation>Phase</translation>
    </message>
    <message>
        <source>Progress of %1</source>
        <translation>Fortschritt von %1</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>SHA-256 %1</source>
        <translation>SHA-256 %1</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 written; waiting for the drive to store it</source>
        <translation>%1 geschrieben; warte, bis das Laufwerk es gespeichert hat</translation>
    </message>
    <message>
        <source>%1
SHA-256 of the file written: %2</source>
        <translation>%1
SHA-256 der geschriebenen Datei: %2</translation>
    </message>
    <message>
        <source>E&amp;ject</source>
        <translation>Aus&amp;werfen</translation>
    </message>
    <message>
        <source>Eject %1</source>
        <translation>%1 auswerfen</translation>
    </message>
    <message>
        <source>Unmount and power off this drive so it can be pulled</source>
        <translation>Dieses Laufwerk aushängen und abschalten, damit es abgezogen werden kann</translation>
    </message>
    <message>
        <source>%1 · Safe to remove after ejecting</source>
        <translation>%1 · Nach dem Auswerfen sicher zu entfernen</translation>
    </message>
</context>
<context>
    <name>ErrorText</name>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>%1 is not a valid choice here.</source>
        <translation>%1 ist hier keine gültige Angabe.</translation>
    </message>
    <message>
        <source>This is not a valid choice here.</source>
        <translation>Diese Angabe ist hier nicht gültig.</translation>
    </message>
    <message>
        <source>%1 was not found.</source>
        <translation>%1 wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>What was asked for was not found.</source>
        <translation>Das Angeforderte wurde nicht gefunden.</translation>
    </message>
    <message>
        <source>Not enough free space on %1.</source>
        <translation>Nicht genug freier Speicher auf %1.</translation>
    </message>
    <message>
        <source>Not enough free space.</source>
        <translation>Nicht genug freier Speicher.</translation>
    </message>
    <message>
        <source>%1 is not signed by a key this station trusts.</source>
        <translation>%1 ist nicht mit einem Schlüssel signiert, dem diese Station vertraut.</translation>
    </message>
    <message>
        <source>The signature is missing, invalid or from a key this station does not trust.</source>
        <translation>Die Signatur fehlt, ist ungültig oder stammt von einem Schlüssel, dem diese Station nicht vertraut.</translation>
    </message>
    <message>
        <source>%1 is damaged or not valid.</source>
        <translation>%1 ist beschädigt oder ungültig.</translation>
    </message>
    <message>
        <source>The data is damaged or not valid.</source>
        <translation>Die Daten sind beschädigt oder ungültig.</translation>
    </message>
    <message>
        <source>Could not read or write %1.</source>
        <translation>%1 konnte nicht gelesen oder geschrieben werden.</translation>
    </message>
    <message>
        <source>Reading or writing failed.</source>
        <translation>Lesen oder Schreiben ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>%1 is in use by another program or window.</source>
        <translation>%1 wird von einem anderen Programm oder Fenster verwendet.</translation>
    </message>
    <message>
        <source>In use by another program or window.</source>
        <translation>Wird von einem anderen Programm oder Fenster verwendet.</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
</context>
<context>
    <name>ExportPlan</name>
    <message>
        <source>%1: no such file</source>
        <translation>%1: Datei nicht vorhanden</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: the package is not complete for any of its tiers</source>
        <translation>%1: Das Paket ist für keine seiner Stufen vollständig</translation>
    </message>
</context>
<context>
    <name>FileCheckModel</name>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Expected SHA-256</source>
        <translation>Erwarteter SHA-256</translation>
    </message>
    <message>
        <source>Computed SHA-256</source>
        <translation>Berechneter SHA-256</translation>
    </message>
    <message>
        <source>Not checked</source>
        <translation>Nicht geprüft</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Checking… %1 %</source>
        <translation>Wird geprüft… %1 %</translation>
    </message>
</context>
<context>
    <name>Format</name>
    <message>
        <source>%1/s</source>
        <translation>%1/s</translation>
    </message>
    <message numerus="yes">
        <source>%n second(s)</source>
        <translation>
            <numerusform>%n Sekunde</numerusform>
            <numerusform>%n Sekunden</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>all</source>
        <translation>alle</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Agent</source>
        <translation>Agent</translation>
    </message>
    <message>
        <source>Tool</source>
        <translation>Werkzeug</translation>
    </message>
    <message>
        <source>Knowledge</source>
        <translation>Wissen</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Konfiguration</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Agents</source>
        <translation>Agenten</translation>
    </message>
    <message>
        <source>Tools</source>
        <translation>Werkzeuge</translation>
    </message>
    <message>
        <source>Checking</source>
        <translation>Wird geprüft</translation>
    </message>
    <message>
        <source>Intact</source>
        <translation>Unversehrt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlerhaft</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>Fehlt</translation>
    </message>
    <message>
        <source>Not in this export</source>
        <translation>Nicht in diesem Export</translation>
    </message>
    <message>
        <source>Valid</source>
        <translation>Gültig</translation>
    </message>
    <message>
        <source>Invalid</source>
        <translation>Ungültig</translation>
    </message>
    <message>
        <source>Untrusted key</source>
        <translation>Nicht vertrauenswürdiger Schlüssel</translation>
    </message>
    <message>
        <source>Mesh authority</source>
        <translation>Mesh-Autorität</translation>
    </message>
    <message>
        <source>Founder</source>
        <translation>Gründer</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Erstellt</translation>
    </message>
    <message>
        <source>Exported</source>
        <translation>Exportiert</translation>
    </message>
    <message>
        <source>Transferred</source>
        <translation>Übertragen</translation>
    </message>
    <message>
        <source>Hashing</source>
        <translation>Hashen</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Prüfen</translation>
    </message>
    <message>
        <source>Reading back</source>
        <translation>Zurücklesen</translation>
    </message>
    <message>
        <source>Installing</source>
        <translation>Installieren</translation>
    </message>
    <message>
        <source>Working</source>
        <translation>In Arbeit</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Durchsuchen</translation>
    </message>
    <message>
        <source>Downloading</source>
        <translation>Herunterladen</translation>
    </message>
    <message>
        <source>Flushing to the drive</source>
        <translation>Auf das Laufwerk übertragen</translation>
    </message>
    <message>
        <source>full package</source>
        <translation>vollständiges Paket</translation>
    </message>
    <message>
        <source>%1 export</source>
        <translation>Export für %1</translation>
    </message>
    <message>
        <source>delta update from %1</source>
        <translation>Delta-Update von %1</translation>
    </message>
    <message>
        <source>delta update from %1, %2</source>
        <translation>Delta-Update von %1, %2</translation>
    </message>
    <message>
        <source>Version %1 is installed as this update was made from it</source>
        <translation>Version %1 ist so installiert, wie dieses Update aus ihr erstellt wurde</translation>
    </message>
    <message>
        <source>Needs version %1 installed; nothing of this package is installed here — use the full %2 package</source>
        <translation>Braucht installierte Version %1; von diesem Paket ist hier nichts installiert — verwenden Sie das vollständige Paket %2</translation>
    </message>
    <message>
        <source>Needs version %1 installed; this machine has %2 — use the full %3 package</source>
        <translation>Braucht installierte Version %1; dieses Gerät hat %2 — verwenden Sie das vollständige Paket %3</translation>
    </message>
    <message>
        <source>Needs version %1 as it was signed; the installed %1 is another build of it — use the full %2 package</source>
        <translation>Braucht Version %1 wie signiert; die installierte %1 ist ein anderer Build davon — verwenden Sie das vollständige Paket %2</translation>
    </message>
    <message>
        <source>Version %1 is already installed</source>
        <translation>Version %1 ist bereits installiert</translation>
    </message>
    <message>
        <source>almost done</source>
        <translation>fast fertig</translation>
    </message>
    <message>
        <source>%1 left</source>
        <translation>noch %1</translation>
    </message>
</context>
<context>
    <name>ImportVerifyView</name>
    <message>
        <source>This package cannot be installed here.</source>
        <translation>Dieses Paket kann hier nicht installiert werden.</translation>
    </message>
    <message>
        <source>&amp;Open package…</source>
        <translation>Paket ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open a package file</source>
        <translation>Eine Paketdatei öffnen</translation>
    </message>
    <message>
        <source>Open a .atmo package (Ctrl+O)</source>
        <translation>Ein .atmo-Paket öffnen (Strg+O)</translation>
    </message>
    <message>
        <source>From &amp;drive</source>
        <translation>Von &amp;Laufwerk</translation>
    </message>
    <message>
        <source>Open a package from a mounted drive</source>
        <translation>Ein Paket von einem eingehängten Laufwerk öffnen</translation>
    </message>
    <message>
        <source>Package file</source>
        <translation>Paketdatei</translation>
    </message>
    <message>
        <source>&amp;Save report…</source>
        <translation>Bericht &amp;speichern …</translation>
    </message>
    <message>
        <source>Save the verification report</source>
        <translation>Den Prüfbericht speichern</translation>
    </message>
    <message>
        <source>Save the verification report as text or HTML (Ctrl+S)</source>
        <translation>Den Prüfbericht als Text oder HTML speichern (Strg+S)</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>Signaturen</translation>
    </message>
    <message>
        <source>Chain of custody</source>
        <translation>Verwahrungskette</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Show only &amp;failures</source>
        <translation>Nur &amp;Fehler anzeigen</translation>
    </message>
    <message>
        <source>Show only files that failed</source>
        <translation>Nur fehlerhafte Dateien anzeigen</translation>
    </message>
    <message>
        <source>File summary</source>
        <translation>Dateiübersicht</translation>
    </message>
    <message>
        <source>Not in this export</source>
        <translation>Nicht in diesem Export</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Install</source>
        <translation>Installieren</translation>
    </message>
    <message>
        <source>Install into folder</source>
        <translation>In Ordner installieren</translation>
    </message>
    <message>
        <source>&amp;Into:</source>
        <translation>&amp;Nach:</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Choose the install folder</source>
        <translation>Den Installationsordner wählen</translation>
    </message>
    <message>
        <source>&amp;Install</source>
        <translation>&amp;Installieren</translation>
    </message>
    <message>
        <source>Install the package</source>
        <translation>Das Paket installieren</translation>
    </message>
    <message>
        <source>Verify again while installing, then switch to the new version (Ctrl+I)</source>
        <translation>Beim Installieren erneut prüfen und dann zur neuen Version wechseln (Strg+I)</translation>
    </message>
    <message>
        <source>Install status</source>
        <translation>Installationsstatus</translation>
    </message>
    <message>
        <source>%1 on %2 (%3)</source>
        <translation>%1 auf %2 (%3)</translation>
    </message>
    <message>
        <source>No packages on mounted drives</source>
        <translation>Keine Pakete auf eingehängten Laufwerken</translation>
    </message>
    <message>
        <source>Open package</source>
        <translation>Paket öffnen</translation>
    </message>
    <message>
        <source>Atmosphere packages (*.atmo);;All files (*)</source>
        <translation>Atmosphere-Pakete (*.atmo);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>No files were checked.</source>
        <translation>Es wurden keine Dateien geprüft.</translation>
    </message>
    <message>
        <source>No package open.</source>
        <translation>Kein Paket geöffnet.</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) intact</source>
        <translation>
            <numerusform>%n Datei unversehrt</numerusform>
            <numerusform>%n Dateien unversehrt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n failed</source>
        <translation>
            <numerusform>%n fehlerhaft</numerusform>
            <numerusform>%n fehlerhaft</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n not in this export</source>
        <translation>
            <numerusform>%n nicht in diesem Export</numerusform>
            <numerusform>%n nicht in diesem Export</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) listed in the manifest</source>
        <translation>
            <numerusform>%n Datei im Manifest aufgeführt</numerusform>
            <numerusform>%n Dateien im Manifest aufgeführt</numerusform>
        </translation>
    </message>
    <message>
        <source>Wait for the check to finish.</source>
        <translation>Warten Sie, bis die Prüfung abgeschlossen ist.</translation>
    </message>
    <message>
        <source>Open a package first.</source>
        <translation>Öffnen Sie zuerst ein Paket.</translation>
    </message>
    <message>
        <source>This package failed verification and cannot be installed.</source>
        <translation>Dieses Paket hat die Prüfung nicht bestanden und kann nicht installiert werden.</translation>
    </message>
    <message>
        <source>Not enough free space: %1 needed, %2 free.</source>
        <translation>Nicht genug freier Speicher: %1 benötigt, %2 frei.</translation>
    </message>
    <message>
        <source>Install into</source>
        <translation>Installieren nach</translation>
    </message>
    <message>
        <source>Install an older version?</source>
        <translation>Eine ältere Version installieren?</translation>
    </message>
    <message>
        <source>Version %1 of %2 is already installed. This package is version %3, which is not newer.</source>
        <translation>Version %1 von %2 ist bereits installiert. Dieses Paket hat Version %3 und ist nicht neuer.</translation>
    </message>
    <message>
        <source>Installing it replaces the installed version; the replaced version is kept for rollback and the override is recorded. Only continue if you were asked to roll back.</source>
        <translation>Die Installation ersetzt die installierte Version; die ersetzte Version bleibt für ein Zurücksetzen erhalten und die Ausnahme wird protokolliert. Fahren Sie nur fort, wenn Sie zum Zurücksetzen aufgefordert wurden.</translation>
    </message>
    <message>
        <source>Replace with version %1</source>
        <translation>Durch Version %1 ersetzen</translation>
    </message>
    <message>
        <source>Installing…</source>
        <translation>Wird installiert …</translation>
    </message>
    <message>
        <source>Not installed: %1</source>
        <translation>Nicht installiert: %1</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>No package has been checked.</source>
        <translation>Es wurde kein Paket geprüft.</translation>
    </message>
    <message>
        <source>Save verification report</source>
        <translation>Prüfbericht speichern</translation>
    </message>
    <message>
        <source>HTML report (*.html);;Text report (*.txt)</source>
        <translation>HTML-Bericht (*.html);;Textbericht (*.txt)</translation>
    </message>
    <message>
        <source>Report not saved</source>
        <translation>Bericht nicht gespeichert</translation>
    </message>
    <message>
        <source>Could not save %1: %2</source>
        <translation>%1 konnte nicht gespeichert werden: %2</translation>
    </message>
    <message>
        <source>Computed SHA-256</source>
        <translation>Berechneter SHA-256</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>This package lacks files that %1 needs.</source>
        <translation>Diesem Paket fehlen Dateien, die %1 braucht.</translation>
    </message>
    <message>
        <source>Installed version %1 (%2) into %3.</source>
        <translation>Version %1 (%2) nach %3 installiert.</translation>
    </message>
    <message>
        <source>Checking the files…</source>
        <translation>Die Dateien werden geprüft…</translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n file(s) checked</source>
        <translation>
            <numerusform>%1 von %n Datei geprüft</numerusform>
            <numerusform>%1 von %n Dateien geprüft</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>InviteDialog</name>
    <message>
        <source>Invite a device</source>
        <translation>Ein Gerät einladen</translation>
    </message>
    <message>
        <source>Any device</source>
        <translation>Jedes Gerät</translation>
    </message>
    <message>
        <source>Only the device with node id</source>
        <translation>Nur das Gerät mit der Knoten-ID</translation>
    </message>
    <message>
        <source>the device&apos;s node id (atmosphere mesh identity shows it)</source>
        <translation>die Knoten-ID des Geräts (atmosphere mesh identity zeigt sie)</translation>
    </message>
    <message>
        <source>Comma-separated capabilities the device is granted</source>
        <translation>Fähigkeiten, die das Gerät erhält, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>1 hour</source>
        <translation>1 Stunde</translation>
    </message>
    <message>
        <source>24 hours</source>
        <translation>24 Stunden</translation>
    </message>
    <message>
        <source>3 days</source>
        <translation>3 Tage</translation>
    </message>
    <message>
        <source>7 days</source>
        <translation>7 Tage</translation>
    </message>
    <message>
        <source>One per line: local:HOST:PORT for this station on the LAN, relay:wss://... for a relay</source>
        <translation>Eine pro Zeile: local:HOST:PORT für diese Station im LAN, relay:wss://... für ein Relay</translation>
    </message>
    <message>
        <source>Who may join:</source>
        <translation>Wer beitreten darf:</translation>
    </message>
    <message>
        <source>Capabilities:</source>
        <translation>Fähigkeiten:</translation>
    </message>
    <message>
        <source>Valid for:</source>
        <translation>Gültig für:</translation>
    </message>
    <message>
        <source>Where to find the mesh:</source>
        <translation>Wo das Mesh zu finden ist:</translation>
    </message>
    <message>
        <source>Create invite</source>
        <translation>Einladung erstellen</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>Save QR code…</source>
        <translation>QR-Code speichern …</translation>
    </message>
    <message>
        <source>Save invite…</source>
        <translation>Einladung speichern …</translation>
    </message>
    <message>
        <source>Save QR code</source>
        <translation>QR-Code speichern</translation>
    </message>
    <message>
        <source>PNG images (*.png)</source>
        <translation>PNG-Bilder (*.png)</translation>
    </message>
    <message>
        <source>Save invite</source>
        <translation>Einladung speichern</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>JSON-Dateien (*.json)</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>the device %1</source>
        <translation>das Gerät %1</translation>
    </message>
    <message>
        <source>any device</source>
        <translation>jedes Gerät</translation>
    </message>
    <message>
        <source>Lets %1 join mesh %2 until %3.</source>
        <translation>Lässt %1 bis %3 dem Mesh %2 beitreten.</translation>
    </message>
    <message>
        <source>There is no invite to save yet.</source>
        <translation>Es gibt noch keine Einladung zum Speichern.</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 konnte nicht geschrieben werden: %2</translation>
    </message>
</context>
<context>
    <name>JoinMeshDialog</name>
    <message>
        <source>Join a mesh on a relay</source>
        <translation>Einem Mesh auf einem Relay beitreten</translation>
    </message>
    <message>
        <source>Join with an invite or a join token</source>
        <translation>Mit einer Einladung oder einem Beitritts-Token beitreten</translation>
    </message>
    <message>
        <source>Register this station&apos;s mesh “%1” as its founder</source>
        <translation>Das Mesh „%1“ dieser Station als Gründer registrieren</translation>
    </message>
    <message>
        <source>This station holds the key of mesh %1</source>
        <translation>Diese Station besitzt den Schlüssel des Mesh %1</translation>
    </message>
    <message>
        <source>This station holds no key for mesh %1; only its founder registers it</source>
        <translation>Diese Station besitzt keinen Schlüssel für das Mesh %1; nur sein Gründer registriert es</translation>
    </message>
    <message>
        <source>Paste the atmosphere://join?invite=… link, or a join token&apos;s JSON</source>
        <translation>Fügen Sie den Link atmosphere://join?invite=… oder das JSON eines Beitritts-Tokens ein</translation>
    </message>
    <message>
        <source>Invite or join token</source>
        <translation>Einladung oder Beitritts-Token</translation>
    </message>
    <message>
        <source>ws://relay.example:8765 (an invite may name it)</source>
        <translation>ws://relay.example:8765 (eine Einladung kann es nennen)</translation>
    </message>
    <message>
        <source>Relay URL</source>
        <translation>Relay-URL</translation>
    </message>
    <message>
        <source>&amp;Invite or token:</source>
        <translation>&amp;Einladung oder Token:</translation>
    </message>
    <message>
        <source>&amp;Relay:</source>
        <translation>&amp;Relay:</translation>
    </message>
    <message>
        <source>&amp;Join</source>
        <translation>&amp;Beitreten</translation>
    </message>
    <message>
        <source>Give the relay&apos;s URL.</source>
        <translation>Geben Sie die URL des Relays an.</translation>
    </message>
    <message>
        <source>Paste the invite link or the join token a founder&apos;s station gave you.</source>
        <translation>Fügen Sie den Einladungslink oder das Beitritts-Token ein, das Sie von der Station eines Gründers erhalten haben.</translation>
    </message>
    <message>
        <source>Registers mesh “%1” on relay %2 with this station&apos;s mesh key; devices then join it with invites from this station.</source>
        <translation>Registriert das Mesh „%1“ auf dem Relay %2 mit dem Mesh-Schlüssel dieser Station; Geräte treten ihm dann mit Einladungen dieser Station bei.</translation>
    </message>
    <message>
        <source>Joins mesh “%1” on relay %2 as a member; the token is valid until %3.</source>
        <translation>Tritt dem Mesh „%1“ auf dem Relay %2 als Mitglied bei; das Token gilt bis %3.</translation>
    </message>
    <message>
        <source>Connecting to relay %1…</source>
        <translation>Verbindung zum Relay %1 wird hergestellt …</translation>
    </message>
    <message>
        <source>Not joined: %1</source>
        <translation>Nicht beigetreten: %1</translation>
    </message>
</context>
<context>
    <name>KeyGenerateDialog</name>
    <message>
        <source>Generate a signing key</source>
        <translation>Einen Signaturschlüssel erzeugen</translation>
    </message>
    <message>
        <source>The key pair is written to %1. Keep the secret key safe: anyone with it (and its password) can sign packages.</source>
        <translation>Das Schlüsselpaar wird nach %1 geschrieben. Bewahren Sie den geheimen Schlüssel sicher auf: Wer ihn (und sein Passwort) hat, kann Pakete signieren.</translation>
    </message>
    <message>
        <source>Key name</source>
        <translation>Schlüsselname</translation>
    </message>
    <message>
        <source>e.g. plant-mesh-authority</source>
        <translation>z. B. werk-mesh-autoritaet</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>Store the secret key &amp;unencrypted (not recommended)</source>
        <translation>Geheimen Schlüssel &amp;unverschlüsselt speichern (nicht empfohlen)</translation>
    </message>
    <message>
        <source>Store the secret key unencrypted</source>
        <translation>Geheimen Schlüssel unverschlüsselt speichern</translation>
    </message>
    <message>
        <source>Trust this key on this station as</source>
        <translation>Diesem Schlüssel auf dieser Station vertrauen als</translation>
    </message>
    <message>
        <source>Do not trust it here</source>
        <translation>Hier nicht vertrauen</translation>
    </message>
    <message>
        <source>&amp;Trust here as:</source>
        <translation>Hier &amp;vertrauen als:</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Erzeugen</translation>
    </message>
    <message>
        <source>Enter a name for the key.</source>
        <translation>Geben Sie einen Namen für den Schlüssel ein.</translation>
    </message>
    <message>
        <source>A key named “%1” already exists.</source>
        <translation>Ein Schlüssel namens „%1“ existiert bereits.</translation>
    </message>
    <message>
        <source>Enter a password, or choose to store the key unencrypted.</source>
        <translation>Geben Sie ein Passwort ein oder speichern Sie den Schlüssel unverschlüsselt.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>KeyJob</name>
    <message>
        <source>Generating key</source>
        <translation>Schlüssel wird erzeugt</translation>
    </message>
    <message>
        <source>Unlocking key</source>
        <translation>Schlüssel wird entsperrt</translation>
    </message>
</context>
<context>
    <name>KeyNote</name>
    <message>
        <source>Wrong password for %1.</source>
        <translation>Falsches Passwort für %1.</translation>
    </message>
    <message>
        <source>%1 is encrypted: its password is needed.</source>
        <translation>%1 ist verschlüsselt: Das Passwort wird benötigt.</translation>
    </message>
    <message>
        <source>%1 is not a minisign secret key, or one of a kind this station cannot use.</source>
        <translation>%1 ist kein geheimer minisign-Schlüssel oder einer, den diese Station nicht verwenden kann.</translation>
    </message>
    <message>
        <source>%1 could not be unlocked: its password needs more memory than this machine can give.</source>
        <translation>%1 konnte nicht entsperrt werden: Sein Passwort braucht mehr Arbeitsspeicher, als dieser Rechner hergeben kann.</translation>
    </message>
    <message>
        <source>%1 is damaged: it cannot be used to sign.</source>
        <translation>%1 ist beschädigt und kann nicht zum Signieren verwendet werden.</translation>
    </message>
    <message>
        <source>%1 is not a minisign public key.</source>
        <translation>%1 ist kein öffentlicher minisign-Schlüssel.</translation>
    </message>
</context>
<context>
    <name>KeysView</name>
    <message>
        <source>Signing keys on this station</source>
        <translation>Signaturschlüssel auf dieser Station</translation>
    </message>
    <message>
        <source>Secret keys that sign packages. Export a key&apos;s public half to the devices and stations that must accept what it signs.</source>
        <translation>Geheime Schlüssel, die Pakete signieren. Exportieren Sie den öffentlichen Teil eines Schlüssels auf die Geräte und Stationen, die akzeptieren sollen, was er signiert.</translation>
    </message>
    <message>
        <source>Signing keys</source>
        <translation>Signaturschlüssel</translation>
    </message>
    <message>
        <source>&amp;Generate key…</source>
        <translation>Schlüssel &amp;erzeugen …</translation>
    </message>
    <message>
        <source>Generate a signing key</source>
        <translation>Einen Signaturschlüssel erzeugen</translation>
    </message>
    <message>
        <source>&amp;Export public key…</source>
        <translation>Öffentlichen Schlüssel e&amp;xportieren …</translation>
    </message>
    <message>
        <source>Export the public key</source>
        <translation>Den öffentlichen Schlüssel exportieren</translation>
    </message>
    <message>
        <source>&amp;Trust on this station…</source>
        <translation>Auf dieser Station &amp;vertrauen …</translation>
    </message>
    <message>
        <source>Trust the selected key</source>
        <translation>Dem ausgewählten Schlüssel vertrauen</translation>
    </message>
    <message>
        <source>Trusted public keys</source>
        <translation>Vertrauenswürdige öffentliche Schlüssel</translation>
    </message>
    <message>
        <source>Packages are accepted only when the mesh authority&apos;s signature comes from a key trusted here. A founder signature is optional but checked.</source>
        <translation>Pakete werden nur akzeptiert, wenn die Signatur der Mesh-Autorität von einem hier vertrauenswürdigen Schlüssel stammt. Eine Gründersignatur ist optional, wird aber geprüft.</translation>
    </message>
    <message>
        <source>Trusted keys</source>
        <translation>Vertrauenswürdige Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Import public key…</source>
        <translation>Öffentlichen Schlüssel &amp;importieren …</translation>
    </message>
    <message>
        <source>Import and trust a public key</source>
        <translation>Einen öffentlichen Schlüssel importieren und ihm vertrauen</translation>
    </message>
    <message>
        <source>&amp;Remove trust</source>
        <translation>Vertrauen &amp;entziehen</translation>
    </message>
    <message>
        <source>Remove trust from the selected key</source>
        <translation>Dem ausgewählten Schlüssel das Vertrauen entziehen</translation>
    </message>
    <message>
        <source>Key status</source>
        <translation>Schlüsselstatus</translation>
    </message>
    <message>
        <source>Generating key “%1”…</source>
        <translation>Schlüssel „%1“ wird erzeugt …</translation>
    </message>
    <message>
        <source>Generated key “%1” (key ID %2).</source>
        <translation>Schlüssel „%1“ erzeugt (Schlüssel-ID %2).</translation>
    </message>
    <message>
        <source>Could not generate the key: %1</source>
        <translation>Der Schlüssel konnte nicht erzeugt werden: %1</translation>
    </message>
    <message>
        <source>Import public key</source>
        <translation>Öffentlichen Schlüssel importieren</translation>
    </message>
    <message>
        <source>Public keys (*.pub);;All files (*)</source>
        <translation>Öffentliche Schlüssel (*.pub);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Now trusting “%1” as %2.</source>
        <translation>„%1“ ist jetzt vertrauenswürdig als %2.</translation>
    </message>
    <message>
        <source>Could not trust the key: %1</source>
        <translation>Dem Schlüssel konnte nicht vertraut werden: %1</translation>
    </message>
    <message>
        <source>Export public key</source>
        <translation>Öffentlichen Schlüssel exportieren</translation>
    </message>
    <message>
        <source>Public keys (*.pub)</source>
        <translation>Öffentliche Schlüssel (*.pub)</translation>
    </message>
    <message>
        <source>Exported the public key of “%1” to %2.</source>
        <translation>Öffentlicher Schlüssel von „%1“ nach %2 exportiert.</translation>
    </message>
    <message>
        <source>Could not export the key: %1</source>
        <translation>Der Schlüssel konnte nicht exportiert werden: %1</translation>
    </message>
    <message>
        <source>Remove trust?</source>
        <translation>Vertrauen entziehen?</translation>
    </message>
    <message>
        <source>Stop trusting “%1” (%2) as %3? Packages signed only by this key will no longer verify on this station.</source>
        <translation>„%1“ (%2) nicht mehr als %3 vertrauen? Pakete, die nur mit diesem Schlüssel signiert sind, bestehen die Prüfung auf dieser Station dann nicht mehr.</translation>
    </message>
    <message>
        <source>Removed trust from “%1”.</source>
        <translation>„%1“ wurde das Vertrauen entzogen.</translation>
    </message>
    <message>
        <source>Could not remove trust: %1</source>
        <translation>Das Vertrauen konnte nicht entzogen werden: %1</translation>
    </message>
    <message>
        <source>Generate a key to start signing</source>
        <translation>Einen Schlüssel erzeugen, um zu signieren</translation>
    </message>
    <message>
        <source>This station has no signing key yet. A key you generate signs the packages you build; or copy an existing key into %1.</source>
        <translation>Diese Station hat noch keinen Signaturschlüssel. Ein erzeugter Schlüssel signiert die Pakete, die Sie bauen; oder kopieren Sie einen vorhandenen Schlüssel nach %1.</translation>
    </message>
    <message>
        <source>No key is trusted yet</source>
        <translation>Noch kein Schlüssel ist vertrauenswürdig</translation>
    </message>
    <message>
        <source>This station accepts no package until it trusts the mesh authority&apos;s key: import its public key (.pub), or trust one of the signing keys above.</source>
        <translation>Diese Station nimmt kein Paket an, bevor sie dem Schlüssel der Mesh-Autorität vertraut: importieren Sie dessen öffentlichen Schlüssel (.pub) oder vertrauen Sie einem der Signaturschlüssel oben.</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Views</source>
        <translation>Ansichten</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Erstellen</translation>
    </message>
    <message>
        <source>Build signed packages (Ctrl+1)</source>
        <translation>Signierte Pakete erstellen (Strg+1)</translation>
    </message>
    <message>
        <source>Import &amp; Verify</source>
        <translation>Import &amp; Prüfung</translation>
    </message>
    <message>
        <source>Check and install packages (Ctrl+2)</source>
        <translation>Pakete prüfen und installieren (Strg+2)</translation>
    </message>
    <message>
        <source>Keys</source>
        <translation>Schlüssel</translation>
    </message>
    <message>
        <source>Signing keys and trust (Ctrl+3)</source>
        <translation>Signaturschlüssel und Vertrauen (Strg+3)</translation>
    </message>
    <message>
        <source>Import and verify</source>
        <translation>Import und Prüfung</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;New package…</source>
        <translation>&amp;Neues Paket …</translation>
    </message>
    <message>
        <source>&amp;Open package…</source>
        <translation>Paket ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Einstellungen …</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Build</source>
        <translation>&amp;Erstellen</translation>
    </message>
    <message>
        <source>&amp;Import &amp;&amp; Verify</source>
        <translation>&amp;Import &amp;&amp; Prüfung</translation>
    </message>
    <message>
        <source>&amp;Keys</source>
        <translation>&amp;Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About Atmosphere Station</source>
        <translation>&amp;Über Atmosphere Station</translation>
    </message>
    <message>
        <source>Atmosphere Station</source>
        <translation>Atmosphere Station</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>About Atmosphere Station</source>
        <translation>Über Atmosphere Station</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Atmosphere Station %1&lt;/h3&gt;&lt;p&gt;Builds signed packages of missions, checks that a package is genuine and intact, and installs it.&lt;/p&gt;&lt;p&gt;Packages are POSIX tar archives with minisign signatures: &lt;code&gt;minisign -Vm manifest.yaml -p mesh.pub&lt;/code&gt; and &lt;code&gt;sha256sum -c checksums.sha256&lt;/code&gt; check them without this program.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;Atmosphere Station %1&lt;/h3&gt;&lt;p&gt;Erstellt signierte Pakete von Missionen, prüft, ob ein Paket echt und unversehrt ist, und installiert es.&lt;/p&gt;&lt;p&gt;Pakete sind POSIX-tar-Archive mit minisign-Signaturen: &lt;code&gt;minisign -Vm manifest.yaml -p mesh.pub&lt;/code&gt; und &lt;code&gt;sha256sum -c checksums.sha256&lt;/code&gt; prüfen sie auch ohne dieses Programm.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>USB Export</source>
        <translation>USB-Export</translation>
    </message>
    <message>
        <source>Write packages to USB drives, verified (Ctrl+4)</source>
        <translation>Pakete auf USB-Laufwerke schreiben, geprüft (Strg+4)</translation>
    </message>
    <message>
        <source>USB export</source>
        <translation>USB-Export</translation>
    </message>
    <message>
        <source>&amp;USB Export</source>
        <translation>&amp;USB-Export</translation>
    </message>
    <message>
        <source>Mesh</source>
        <translation>Mesh</translation>
    </message>
    <message>
        <source>Peers on the network and the models they offer (Ctrl+5)</source>
        <translation>Peers im Netzwerk und die Modelle, die sie anbieten (Strg+5)</translation>
    </message>
    <message>
        <source>&amp;Mesh</source>
        <translation>&amp;Mesh</translation>
    </message>
    <message>
        <source>Mesh (%1)</source>
        <translation>Mesh (%1)</translation>
    </message>
    <message numerus="yes">
        <source>%n download(s) not finished (Ctrl+5)</source>
        <translation>
            <numerusform>%n Download nicht abgeschlossen (Strg+5)</numerusform>
            <numerusform>%n Downloads nicht abgeschlossen (Strg+5)</numerusform>
        </translation>
    </message>
    <message>
        <source>This station holds no key for mesh %1; the station that founded it invites devices (atmosphere mesh create makes a new mesh).</source>
        <translation>Diese Station hat keinen Schlüssel für das Mesh %1; Geräte lädt die Station ein, die es gegründet hat (atmosphere mesh create erstellt ein neues Mesh).</translation>
    </message>
    <message>
        <source>Leave the relay mesh</source>
        <translation>Das Relay-Mesh verlassen</translation>
    </message>
    <message>
        <source>Disconnect from relay %1 and forget mesh %2 there? Devices on other networks can no longer reach this station; it can register the mesh again.</source>
        <translation>Die Verbindung zum Relay %1 trennen und das Mesh %2 dort vergessen? Geräte in anderen Netzen erreichen diese Station dann nicht mehr; sie kann das Mesh erneut registrieren.</translation>
    </message>
    <message>
        <source>Disconnect from relay %1 and forget mesh %2 there? Joining again needs a new invite or token.</source>
        <translation>Die Verbindung zum Relay %1 trennen und das Mesh %2 dort vergessen? Für einen erneuten Beitritt ist eine neue Einladung oder ein neues Token nötig.</translation>
    </message>
</context>
<context>
    <name>MeshCatalogModel</name>
    <message>
        <source>%1 (+%2 differ)</source>
        <translation>%1 (+%2 abweichend)</translation>
    </message>
    <message numerus="yes">
        <source>%n peer(s) offer different bytes under this id; they are never used for it.</source>
        <translation>
            <numerusform>%n Peer bietet unter dieser ID andere Bytes an; er wird dafür nie verwendet.</numerusform>
            <numerusform>%n Peers bieten unter dieser ID andere Bytes an; sie werden dafür nie verwendet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
</context>
<context>
    <name>MeshNode</name>
    <message>
        <source>switched off</source>
        <translation>ausgeschaltet</translation>
    </message>
</context>
<context>
    <name>MeshPresence</name>
    <message>
        <source>model library: %1</source>
        <translation>Modellbibliothek: %1</translation>
    </message>
    <message>
        <source>Serving is switched off (Settings).</source>
        <translation>Die Bereitstellung ist ausgeschaltet (Einstellungen).</translation>
    </message>
    <message>
        <source>Serving on %1; looking for models in the library…</source>
        <translation>Bereitstellung auf %1; Modelle in der Bibliothek werden gesucht …</translation>
    </message>
    <message numerus="yes">
        <source>Serving %n model(s) on %1.</source>
        <translation>
            <numerusform>%n Modell wird auf %1 bereitgestellt.</numerusform>
            <numerusform>%n Modelle werden auf %1 bereitgestellt.</numerusform>
        </translation>
    </message>
    <message>
        <source>Advertised on mDNS as %1.</source>
        <translation>Per mDNS angekündigt als %1.</translation>
    </message>
    <message numerus="yes">
        <source>%n library file(s) skipped.</source>
        <translation>
            <numerusform>%n Bibliotheksdatei übersprungen.</numerusform>
            <numerusform>%n Bibliotheksdateien übersprungen.</numerusform>
        </translation>
    </message>
    <message>
        <source>this computer only (http://127.0.0.1:%1; no network connection)</source>
        <translation>nur diesem Computer (http://127.0.0.1:%1; keine Netzwerkverbindung)</translation>
    </message>
    <message>
        <source>mDNS is switched off: peers add this station by its address.</source>
        <translation>mDNS ist ausgeschaltet: Peers fügen diese Station über ihre Adresse hinzu.</translation>
    </message>
    <message>
        <source>This station is not serving: its port cannot be opened. Choose another port or address in Settings.</source>
        <translation>Diese Station bietet nichts an: Ihr Port lässt sich nicht öffnen. Wählen Sie in den Einstellungen einen anderen Port oder eine andere Adresse.</translation>
    </message>
    <message>
        <source>Other stations cannot find this one by themselves: mDNS is not available. Start avahi-daemon (systemctl start avahi-daemon), or give colleagues an address above to add by hand.</source>
        <translation>Andere Stationen finden diese nicht von selbst: mDNS ist nicht verfügbar. Starten Sie avahi-daemon (systemctl start avahi-daemon) oder geben Sie Kollegen eine der Adressen oben zum Hinzufügen von Hand.</translation>
    </message>
</context>
<context>
    <name>MeshView</name>
    <message>
        <source>This station on the mesh</source>
        <translation>Diese Station im Mesh</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
    <message>
        <source>http://host:14345</source>
        <translation>http://host:14345</translation>
    </message>
    <message>
        <source>Peer address</source>
        <translation>Peer-Adresse</translation>
    </message>
    <message>
        <source>&amp;Add peer</source>
        <translation>&amp;Peer hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Refresh</source>
        <translation>Ak&amp;tualisieren</translation>
    </message>
    <message>
        <source>Ask every peer again</source>
        <translation>Alle Peers erneut abfragen</translation>
    </message>
    <message>
        <source>Add a peer by address:</source>
        <translation>Peer über seine Adresse hinzufügen:</translation>
    </message>
    <message>
        <source>Search models, capabilities, classes…</source>
        <translation>Modelle, Fähigkeiten, Klassen suchen …</translation>
    </message>
    <message>
        <source>Search models</source>
        <translation>Modelle suchen</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>Capability</source>
        <translation>Fähigkeit</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Model details</source>
        <translation>Modelldetails</translation>
    </message>
    <message>
        <source>Models shown</source>
        <translation>Angezeigte Modelle</translation>
    </message>
    <message>
        <source>All types</source>
        <translation>Alle Typen</translation>
    </message>
    <message>
        <source>All formats</source>
        <translation>Alle Formate</translation>
    </message>
    <message>
        <source>All capabilities</source>
        <translation>Alle Fähigkeiten</translation>
    </message>
    <message numerus="yes">
        <source>%n model(s)</source>
        <translation>
            <numerusform>%n Modell</numerusform>
            <numerusform>%n Modelle</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%1 of %n model(s) match</source>
        <translation>
            <numerusform>Treffer: %1 von %n Modell</numerusform>
            <numerusform>Treffer: %1 von %n Modellen</numerusform>
        </translation>
    </message>
    <message>
        <source>No peers yet. Peers on this network appear here by themselves (mDNS); add one by its address above.</source>
        <translation>Noch keine Peers. Peers in diesem Netzwerk erscheinen hier von selbst (mDNS); fügen Sie einen oben über seine Adresse hinzu.</translation>
    </message>
    <message>
        <source>The peers found so far offer no models.</source>
        <translation>Die bisher gefundenen Peers bieten keine Modelle an.</translation>
    </message>
    <message>
        <source>No model matches the search and filters.</source>
        <translation>Kein Modell passt zur Suche und zu den Filtern.</translation>
    </message>
    <message>
        <source>Select a model to see its details and which peers have it.</source>
        <translation>Wählen Sie ein Modell aus, um seine Details und die Peers zu sehen, die es haben.</translation>
    </message>
    <message>
        <source>Model id</source>
        <translation>Modell-ID</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Base model</source>
        <translation>Basismodell</translation>
    </message>
    <message>
        <source>Context length</source>
        <translation>Kontextlänge</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <source>Capabilities</source>
        <translation>Fähigkeiten</translation>
    </message>
    <message>
        <source>Classes</source>
        <translation>Klassen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>SHA-256</source>
        <translation>SHA-256</translation>
    </message>
    <message>
        <source>Peers that have it, best first</source>
        <translation>Peers, die es haben, die besten zuerst</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>reliability %1</source>
        <translation>Zuverlässigkeit %1</translation>
    </message>
    <message>
        <source>would be used</source>
        <translation>würde verwendet</translation>
    </message>
    <message>
        <source>These peers offer different bytes under this id and are never used for it:</source>
        <translation>Diese Peers bieten unter dieser ID andere Bytes an und werden dafür nie verwendet:</translation>
    </message>
    <message>
        <source>Metadata</source>
        <translation>Metadaten</translation>
    </message>
    <message>
        <source>What peers offer</source>
        <translation>Was Peers anbieten</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>Download model</source>
        <translation>Modell herunterladen</translation>
    </message>
    <message>
        <source>Download the chosen model into this station&apos;s library, verified.</source>
        <translation>Das gewählte Modell geprüft in die Bibliothek dieser Station herunterladen.</translation>
    </message>
    <message>
        <source>Model download status</source>
        <translation>Download-Status des Modells</translation>
    </message>
    <message>
        <source>In the library</source>
        <translation>In der Bibliothek</translation>
    </message>
    <message>
        <source>Packages</source>
        <translation>Pakete</translation>
    </message>
    <message>
        <source>Choose a model to download it.</source>
        <translation>Wählen Sie ein Modell, um es herunterzuladen.</translation>
    </message>
    <message>
        <source>Already in the library: %1</source>
        <translation>Schon in der Bibliothek: %1</translation>
    </message>
    <message>
        <source>Paused in the downloads below.</source>
        <translation>Unten bei den Downloads angehalten.</translation>
    </message>
    <message>
        <source>Downloading; see the downloads below.</source>
        <translation>Wird heruntergeladen; siehe die Downloads unten.</translation>
    </message>
    <message>
        <source>No peer that has it offers an HTTP address to download from.</source>
        <translation>Kein Peer, der es hat, bietet eine HTTP-Adresse zum Herunterladen an.</translation>
    </message>
    <message numerus="yes">
        <source>%1 from %2 and %n other peer(s)</source>
        <translation>
            <numerusform>%1 von %2 und %n weiteren Peer</numerusform>
            <numerusform>%1 von %2 und %n weiteren Peers</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>Invite a device…</source>
        <translation>Ein Gerät einladen …</translation>
    </message>
    <message>
        <source>A join link and QR code that let a device into this station&apos;s mesh</source>
        <translation>Ein Beitrittslink mit QR-Code, der ein Gerät in das Mesh dieser Station lässt</translation>
    </message>
    <message>
        <source>This station on the relay</source>
        <translation>Diese Station auf dem Relay</translation>
    </message>
    <message>
        <source>&amp;Leave the relay mesh…</source>
        <translation>Relay-Mesh &amp;verlassen …</translation>
    </message>
    <message>
        <source>&amp;Join a mesh on a relay…</source>
        <translation>Einem Mesh auf einem Relay &amp;beitreten …</translation>
    </message>
    <message>
        <source>Disconnect from the relay and forget the membership (and its join token)</source>
        <translation>Die Verbindung zum Relay trennen und die Mitgliedschaft (samt Beitritts-Token) vergessen</translation>
    </message>
    <message>
        <source>Join with an invite or a join token, or register this station&apos;s mesh as its founder, so devices on other networks can reach it</source>
        <translation>Mit einer Einladung oder einem Beitritts-Token beitreten oder das Mesh dieser Station als Gründer registrieren, damit Geräte in anderen Netzen sie erreichen</translation>
    </message>
    <message>
        <source>Re&amp;connect</source>
        <translation>&amp;Neu verbinden</translation>
    </message>
    <message>
        <source>Take the link to the relay back for the window</source>
        <translation>Die Verbindung zum Relay für das Fenster zurückholen</translation>
    </message>
    <message>
        <source>Problem with this station on the mesh</source>
        <translation>Problem mit dieser Station im Mesh</translation>
    </message>
    <message>
        <source>F&amp;orget peer</source>
        <translation>Peer &amp;vergessen</translation>
    </message>
    <message>
        <source>Forget the chosen peer</source>
        <translation>Den gewählten Peer vergessen</translation>
    </message>
    <message>
        <source>Remove the chosen peer added by hand or remembered; it is not asked again</source>
        <translation>Den gewählten, von Hand hinzugefügten oder gemerkten Peer entfernen; er wird nicht mehr gefragt</translation>
    </message>
    <message>
        <source>%1 is added, but cannot be remembered for the next start: %2</source>
        <translation>%1 ist hinzugefügt, kann aber nicht für den nächsten Start gemerkt werden: %2</translation>
    </message>
    <message>
        <source>%1 is removed, but the list of remembered peers cannot be saved: %2</source>
        <translation>%1 ist entfernt, aber die Liste der gemerkten Peers kann nicht gespeichert werden: %2</translation>
    </message>
</context>
<context>
    <name>MissionAssembler</name>
    <message>
        <source>The mission id “%1” is not valid: use lowercase letters, digits, &apos;.&apos;, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>Die Missions-ID „%1“ ist ungültig: Verwenden Sie Kleinbuchstaben, Ziffern, &apos;.&apos;, &apos;_&apos; und &apos;-&apos;.</translation>
    </message>
    <message>
        <source>%1 already holds a mission; choose it as an existing mission instead.</source>
        <translation>%1 enthält bereits eine Mission; wählen Sie sie stattdessen als vorhandene Mission.</translation>
    </message>
    <message>
        <source>%1: a picked file cannot replace config/mission.yaml.</source>
        <translation>%1: Eine ausgewählte Datei kann config/mission.yaml nicht ersetzen.</translation>
    </message>
    <message>
        <source>Two picked files would both become %1.</source>
        <translation>Zwei ausgewählte Dateien würden beide zu %1.</translation>
    </message>
    <message>
        <source>%1: not a readable file.</source>
        <translation>%1: keine lesbare Datei.</translation>
    </message>
    <message>
        <source>%1: cannot create the folder.</source>
        <translation>%1: Der Ordner kann nicht angelegt werden.</translation>
    </message>
    <message>
        <source>%1: cannot copy to %2.</source>
        <translation>%1: Kopieren nach %2 nicht möglich.</translation>
    </message>
</context>
<context>
    <name>MissionContentsModel</name>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Every tier gets this file</source>
        <translation>Jede Stufe erhält diese Datei</translation>
    </message>
    <message numerus="yes">
        <source>%n chunk(s)</source>
        <translation>
            <numerusform>%n Abschnitt</numerusform>
            <numerusform>%n Abschnitte</numerusform>
        </translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Details</source>
        <translation>Details</translation>
    </message>
    <message>
        <source>Include this model in %1</source>
        <translation>Dieses Modell in %1 aufnehmen</translation>
    </message>
</context>
<context>
    <name>MissionJob</name>
    <message>
        <source>Reading mission</source>
        <translation>Mission wird eingelesen</translation>
    </message>
</context>
<context>
    <name>MissionNote</name>
    <message>
        <source>cannot be read</source>
        <translation>kann nicht gelesen werden</translation>
    </message>
    <message>
        <source>has a name that cannot go into a package (control characters, a backslash, or too long)</source>
        <translation>hat einen Namen, der nicht in ein Paket kann (Steuerzeichen, ein Backslash oder zu lang)</translation>
    </message>
    <message>
        <source>is not valid YAML (line %1)</source>
        <translation>ist kein gültiges YAML (Zeile %1)</translation>
    </message>
    <message>
        <source>is not a YAML file (name it &lt;id&gt;-&lt;version&gt;.yaml or &lt;id&gt;.yaml)</source>
        <translation>ist keine YAML-Datei (Name: &lt;id&gt;-&lt;version&gt;.yaml oder &lt;id&gt;.yaml)</translation>
    </message>
    <message>
        <source>is not a knowledge file (name it &lt;domain&gt;.chunks.jsonl)</source>
        <translation>ist keine Wissensdatei (Name: &lt;domain&gt;.chunks.jsonl)</translation>
    </message>
    <message>
        <source>line %1 is not a JSON record</source>
        <translation>Zeile %1 ist kein JSON-Datensatz</translation>
    </message>
    <message>
        <source>the file name has no version (name it &lt;id&gt;-&lt;version&gt;.&lt;ext&gt;)</source>
        <translation>der Dateiname hat keine Version (Name: &lt;id&gt;-&lt;version&gt;.&lt;ext&gt;)</translation>
    </message>
    <message>
        <source>names the model %1, which is not in models/</source>
        <translation>nennt das Modell %1, das nicht in models/ liegt</translation>
    </message>
    <message>
        <source>is assigned %1, which is not one of the mission&apos;s tiers</source>
        <translation>ist %1 zugeordnet, das keine Stufe der Mission ist</translation>
    </message>
    <message>
        <source>%1: more than one file could be it</source>
        <translation>%1: mehr als eine Datei kommt in Frage</translation>
    </message>
    <message>
        <source>is the file of two declared items</source>
        <translation>ist die Datei zweier deklarierter Einträge</translation>
    </message>
    <message>
        <source>no tier of the mission lists this file</source>
        <translation>keine Stufe der Mission führt diese Datei</translation>
    </message>
    <message>
        <source>%1 states no hardware requirements, so every device would meet it; give it min_ram_gb, gpu or vram_gb</source>
        <translation>%1 nennt keine Hardware-Anforderungen, also erfüllt sie jedes Gerät; geben Sie min_ram_gb, gpu oder vram_gb an</translation>
    </message>
    <message>
        <source>%1: no file for it (expected %2)</source>
        <translation>%1: keine Datei dafür (erwartet: %2)</translation>
    </message>
</context>
<context>
    <name>MissionPage</name>
    <message>
        <source>Mission</source>
        <translation>Mission</translation>
    </message>
    <message>
        <source>Choose the mission&apos;s source folder (the layout the command-line tool reads), or make a new one from files.</source>
        <translation>Wählen Sie den Quellordner der Mission (im Aufbau, den das Kommandozeilenwerkzeug liest) oder legen Sie aus Dateien einen neuen an.</translation>
    </message>
    <message>
        <source>Use an &amp;existing mission folder</source>
        <translation>&amp;Vorhandenen Missionsordner verwenden</translation>
    </message>
    <message>
        <source>Use an existing mission folder</source>
        <translation>Vorhandenen Missionsordner verwenden</translation>
    </message>
    <message>
        <source>Mission folder</source>
        <translation>Missionsordner</translation>
    </message>
    <message>
        <source>Folder with config/mission.yaml</source>
        <translation>Ordner mit config/mission.yaml</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Choose the mission folder</source>
        <translation>Den Missionsordner wählen</translation>
    </message>
    <message>
        <source>Create a &amp;new mission from files</source>
        <translation>&amp;Neue Mission aus Dateien anlegen</translation>
    </message>
    <message>
        <source>Create a new mission from files</source>
        <translation>Neue Mission aus Dateien anlegen</translation>
    </message>
    <message>
        <source>Folder for the new mission</source>
        <translation>Ordner für die neue Mission</translation>
    </message>
    <message>
        <source>An empty folder for the new mission</source>
        <translation>Ein leerer Ordner für die neue Mission</translation>
    </message>
    <message>
        <source>Choose the folder for the new mission</source>
        <translation>Den Ordner für die neue Mission wählen</translation>
    </message>
    <message>
        <source>Files for the new mission</source>
        <translation>Dateien für die neue Mission</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>&amp;Add files…</source>
        <translation>Dateien &amp;hinzufügen …</translation>
    </message>
    <message>
        <source>Add files to the new mission</source>
        <translation>Dateien zur neuen Mission hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Remove</source>
        <translation>&amp;Entfernen</translation>
    </message>
    <message>
        <source>Remove the selected file</source>
        <translation>Die ausgewählte Datei entfernen</translation>
    </message>
    <message>
        <source>Mission ID</source>
        <translation>Missions-ID</translation>
    </message>
    <message>
        <source>e.g. production-inspection</source>
        <translation>z. B. production-inspection</translation>
    </message>
    <message>
        <source>Mission name</source>
        <translation>Missionsname</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>e.g. 1, 2, 3</source>
        <translation>z. B. 1, 2, 3</translation>
    </message>
    <message>
        <source>The hardware tiers this mission is built for, separated by commas</source>
        <translation>Die Hardwarestufen, für die diese Mission gebaut wird, durch Kommas getrennt</translation>
    </message>
    <message>
        <source>Mission &amp;ID:</source>
        <translation>Missions-&amp;ID:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>&amp;Tiers:</source>
        <translation>&amp;Stufen:</translation>
    </message>
    <message>
        <source>Mission status</source>
        <translation>Missionsstatus</translation>
    </message>
    <message>
        <source>Add files to the mission</source>
        <translation>Dateien zur Mission hinzufügen</translation>
    </message>
    <message>
        <source>Pick the files for the new mission; their kind is guessed from the name and can be changed.</source>
        <translation>Wählen Sie die Dateien für die neue Mission; ihre Art wird aus dem Namen erraten und kann geändert werden.</translation>
    </message>
    <message>
        <source>Choose a mission folder.</source>
        <translation>Wählen Sie einen Missionsordner.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird eingelesen …</translation>
    </message>
    <message numerus="yes">
        <source>Found %n file(s).</source>
        <translation>
            <numerusform>%n Datei gefunden.</numerusform>
            <numerusform>%n Dateien gefunden.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n problem(s) to fix on the next page.</source>
        <translation>
            <numerusform>%n Problem ist auf der nächsten Seite zu beheben.</numerusform>
            <numerusform>%n Probleme sind auf der nächsten Seite zu beheben.</numerusform>
        </translation>
    </message>
    <message>
        <source>Kind of %1</source>
        <translation>Art von %1</translation>
    </message>
    <message>
        <source>Creating the mission in %1…</source>
        <translation>Mission wird in %1 angelegt …</translation>
    </message>
</context>
<context>
    <name>PackageStatus</name>
    <message>
        <source>Verified %1</source>
        <translation>Geprüft %1</translation>
    </message>
    <message>
        <source>Failed its check %1</source>
        <translation>Prüfung fehlgeschlagen %1</translation>
    </message>
    <message numerus="yes">
        <source>Written to %n drive(s) %1</source>
        <translation>
            <numerusform>Auf %n Laufwerk geschrieben %1</numerusform>
            <numerusform>Auf %n Laufwerke geschrieben %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Installed %1</source>
        <translation>Installiert %1</translation>
    </message>
    <message>
        <source>Not verified yet</source>
        <translation>Noch nicht geprüft</translation>
    </message>
    <message>
        <source>Neither verified, written to a drive nor installed on this station.</source>
        <translation>Auf dieser Station weder geprüft noch auf ein Laufwerk geschrieben noch installiert.</translation>
    </message>
    <message>
        <source>Changed since verified</source>
        <translation>Seit der Prüfung geändert</translation>
    </message>
    <message>
        <source>The file has been changed or replaced since: verify it again.</source>
        <translation>Die Datei wurde seitdem geändert oder ersetzt: Erneut prüfen.</translation>
    </message>
    <message>
        <source>Failed its check</source>
        <translation>Prüfung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Installed</source>
        <translation>Installiert</translation>
    </message>
    <message numerus="yes">
        <source>On %n drive(s)</source>
        <translation>
            <numerusform>Auf %n Laufwerk</numerusform>
            <numerusform>Auf %n Laufwerken</numerusform>
        </translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Geprüft</translation>
    </message>
</context>
<context>
    <name>PackageWizard</name>
    <message>
        <source>Build a package</source>
        <translation>Ein Paket erstellen</translation>
    </message>
    <message>
        <source>&amp;Build</source>
        <translation>&amp;Erstellen</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>&amp;Password:</source>
        <translation>&amp;Passwort:</translation>
    </message>
    <message>
        <source>Repeat password</source>
        <translation>Passwort wiederholen</translation>
    </message>
    <message>
        <source>&amp;Repeat:</source>
        <translation>&amp;Wiederholen:</translation>
    </message>
    <message>
        <source>Enter a password.</source>
        <translation>Geben Sie ein Passwort ein.</translation>
    </message>
    <message>
        <source>The two passwords differ.</source>
        <translation>Die beiden Passwörter stimmen nicht überein.</translation>
    </message>
</context>
<context>
    <name>PeerDirectory</name>
    <message>
        <source>%1: not a peer address (expected http://host:port)</source>
        <translation>%1: keine Peer-Adresse (erwartet: http://host:port)</translation>
    </message>
    <message>
        <source>left the network (mDNS)</source>
        <translation>hat das Netzwerk verlassen (mDNS)</translation>
    </message>
    <message>
        <source>/v1/models: %1</source>
        <translation>/v1/models: %1</translation>
    </message>
    <message>
        <source>/v1/catalog: %1</source>
        <translation>/v1/catalog: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n catalog entries rejected, first: %1</source>
        <translation>
            <numerusform>%n Katalogeintrag abgelehnt: %1</numerusform>
            <numerusform>%n Katalogeinträge abgelehnt, der erste: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>the mesh&apos;s relay</source>
        <translation>das Relay des Mesh</translation>
    </message>
</context>
<context>
    <name>PeerListModel</name>
    <message>
        <source>mDNS</source>
        <translation>mDNS</translation>
    </message>
    <message>
        <source>Unresolved: no address over mDNS</source>
        <translation>Nicht aufgelöst: keine Adresse über mDNS</translation>
    </message>
    <message>
        <source>Added by hand</source>
        <translation>Von Hand hinzugefügt</translation>
    </message>
    <message>
        <source>Via %1</source>
        <translation>Über %1</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>Never</source>
        <translation>Nie</translation>
    </message>
    <message>
        <source>Reachable</source>
        <translation>Erreichbar</translation>
    </message>
    <message>
        <source>Reachable (%1)</source>
        <translation>Erreichbar (%1)</translation>
    </message>
    <message>
        <source>Asking…</source>
        <translation>Wird abgefragt …</translation>
    </message>
    <message>
        <source>Unreachable: %1</source>
        <translation>Nicht erreichbar: %1</translation>
    </message>
    <message>
        <source>Node %1</source>
        <translation>Node %1</translation>
    </message>
    <message>
        <source>Peer</source>
        <translation>Peer</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Found by</source>
        <translation>Gefunden über</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Latenz</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Last seen</source>
        <translation>Zuletzt gesehen</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Remembered</source>
        <translation>Gemerkt</translation>
    </message>
    <message>
        <source>Node %1 on the mesh&apos;s relay</source>
        <translation>Knoten %1 am Relay des Mesh</translation>
    </message>
    <message>
        <source>The mesh&apos;s relay</source>
        <translation>Relay des Mesh</translation>
    </message>
    <message>
        <source>Reachable through the relay only</source>
        <translation>Nur über das Relay erreichbar</translation>
    </message>
    <message>
        <source>Reachable through the relay only (%1)</source>
        <translation>Nur über das Relay erreichbar (%1)</translation>
    </message>
</context>
<context>
    <name>PeerPackagesView</name>
    <message>
        <source>Packages offered by peers</source>
        <translation>Von Peers angebotene Pakete</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Peers</source>
        <translation>Peers</translation>
    </message>
    <message>
        <source>Here</source>
        <translation>Hier</translation>
    </message>
    <message>
        <source>Peers that could not be asked</source>
        <translation>Peers, die nicht abgefragt werden konnten</translation>
    </message>
    <message>
        <source>Do&amp;wnload</source>
        <translation>Herunter&amp;laden</translation>
    </message>
    <message>
        <source>Download package</source>
        <translation>Paket herunterladen</translation>
    </message>
    <message>
        <source>Download the chosen package or tier; open it in Import &amp; Verify when it is done.</source>
        <translation>Das gewählte Paket oder die gewählte Stufe herunterladen; danach in „Import &amp; Prüfung“ öffnen.</translation>
    </message>
    <message>
        <source>Download and &amp;install</source>
        <translation>Herunterladen und &amp;installieren</translation>
    </message>
    <message>
        <source>Download and install package</source>
        <translation>Paket herunterladen und installieren</translation>
    </message>
    <message>
        <source>Download, verify in Import &amp; Verify, and install once it checks out.</source>
        <translation>Herunterladen, in „Import &amp; Prüfung“ prüfen und installieren, sobald die Prüfung bestanden ist.</translation>
    </message>
    <message>
        <source>&amp;Open in Import &amp;&amp; Verify</source>
        <translation>In Import &amp;&amp; Prüfung ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Open downloaded package</source>
        <translation>Heruntergeladenes Paket öffnen</translation>
    </message>
    <message>
        <source>Package download status</source>
        <translation>Download-Status des Pakets</translation>
    </message>
    <message>
        <source>%1, version %2, created %3</source>
        <translation>%1, Version %2, erstellt %3</translation>
    </message>
    <message>
        <source>Full package</source>
        <translation>Vollständiges Paket</translation>
    </message>
    <message numerus="yes">
        <source>%1 (+%n with other bytes)</source>
        <translation>
            <numerusform>%1 (+%n mit anderen Bytes)</numerusform>
            <numerusform>%1 (+%n mit anderen Bytes)</numerusform>
        </translation>
    </message>
    <message>
        <source>Offering other bytes under this name, never used:</source>
        <translation>Bieten unter diesem Namen andere Bytes an, werden nie verwendet:</translation>
    </message>
    <message>
        <source>Asking the peers which packages they offer…</source>
        <translation>Die Peers werden gefragt, welche Pakete sie anbieten …</translation>
    </message>
    <message>
        <source>No peer offers packages. Stations share the packages in their store while they serve the mesh; model bridges offer none.</source>
        <translation>Kein Peer bietet Pakete an. Stationen teilen die Pakete ihres Speichers, solange sie im Mesh bereitstellen; Modell-Bridges bieten keine an.</translation>
    </message>
    <message numerus="yes">
        <source>Could not ask %n peer(s): %1</source>
        <translation>
            <numerusform>%n Peer konnte nicht abgefragt werden: %1</numerusform>
            <numerusform>%n Peers konnten nicht abgefragt werden: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>In der Warteschlange</translation>
    </message>
    <message>
        <source>Downloading %1 %</source>
        <translation>Wird heruntergeladen: %1 %</translation>
    </message>
    <message>
        <source>Paused at %1 %</source>
        <translation>Angehalten bei %1 %</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>Heruntergeladen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Choose a package or one of its tiers.</source>
        <translation>Wählen Sie ein Paket oder eine seiner Stufen.</translation>
    </message>
    <message>
        <source>Already downloaded: %1</source>
        <translation>Schon heruntergeladen: %1</translation>
    </message>
    <message>
        <source>Already in the downloads below.</source>
        <translation>Schon unten bei den Downloads.</translation>
    </message>
    <message>
        <source>No peer offers these bytes any more.</source>
        <translation>Kein Peer bietet diese Bytes mehr an.</translation>
    </message>
    <message>
        <source>%1 from %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 only</source>
        <translation>Nur %1</translation>
    </message>
    <message>
        <source>Delta update from %1</source>
        <translation>Delta-Update von %1</translation>
    </message>
    <message>
        <source>Delta update from %1, %2 only</source>
        <translation>Delta-Update von %1, nur %2</translation>
    </message>
    <message>
        <source>Only what changed since %1. It installs onto %1 exactly as it was signed; Import &amp; Verify checks that base first.</source>
        <translation>Nur was sich seit %1 geändert hat. Es lässt sich nur auf %1 genau so installieren, wie es signiert wurde; „Import &amp; Prüfung“ prüft diese Basis zuerst.</translation>
    </message>
    <message>
        <source>No peer offers the full package; choose one of the rows below it.</source>
        <translation>Kein Peer bietet das vollständige Paket an; wählen Sie eine der Zeilen darunter.</translation>
    </message>
    <message>
        <source>(delta from %1)</source>
        <translation>(Delta von %1)</translation>
    </message>
</context>
<context>
    <name>ProgressPanel</name>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel the running job</source>
        <translation>Den laufenden Vorgang abbrechen</translation>
    </message>
    <message>
        <source>Cancel (Esc)</source>
        <translation>Abbrechen (Esc)</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
    <message>
        <source>%1 of %2</source>
        <translation>%1 von %2</translation>
    </message>
    <message>
        <source>%1 % %2</source>
        <translation>%1 % %2</translation>
    </message>
    <message>
        <source> · %1 %</source>
        <translation> · %1 %</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
</context>
<context>
    <name>QrCode</name>
    <message numerus="yes">
        <source>The text is too long for a QR code (%n bytes).</source>
        <translation>
            <numerusform>Der Text ist zu lang für einen QR-Code (%n Byte).</numerusform>
            <numerusform>Der Text ist zu lang für einen QR-Code (%n Bytes).</numerusform>
        </translation>
    </message>
    <message>
        <source>The QR code could not be made.</source>
        <translation>Der QR-Code konnte nicht erstellt werden.</translation>
    </message>
</context>
<context>
    <name>RelayPresence</name>
    <message>
        <source>Not in a mesh on a relay: devices on other networks cannot reach this station.</source>
        <translation>In keinem Mesh auf einem Relay: Geräte in anderen Netzen können diese Station nicht erreichen.</translation>
    </message>
    <message>
        <source>The remembered relay membership cannot be used: %1</source>
        <translation>Die gespeicherte Relay-Mitgliedschaft kann nicht verwendet werden: %1</translation>
    </message>
    <message>
        <source>Mesh %1 on relay %2 cannot be joined: %3</source>
        <translation>Dem Mesh %1 auf dem Relay %2 kann nicht beigetreten werden: %3</translation>
    </message>
    <message>
        <source>founder</source>
        <translation>Gründer</translation>
    </message>
    <message>
        <source>member</source>
        <translation>Mitglied</translation>
    </message>
    <message>
        <source>no other node is on the relay</source>
        <translation>kein anderer Knoten ist auf dem Relay</translation>
    </message>
    <message numerus="yes">
        <source>%n other node(s): %1</source>
        <translation>
            <numerusform>%n anderer Knoten: %1</numerusform>
            <numerusform>%n andere Knoten: %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Joined mesh %1 on relay %2 as %3; %4.</source>
        <translation>Dem Mesh %1 auf dem Relay %2 als %3 beigetreten; %4.</translation>
    </message>
    <message>
        <source>Connecting to relay %1 (mesh %2)…</source>
        <translation>Verbindung zum Relay %1 (Mesh %2) wird hergestellt …</translation>
    </message>
    <message>
        <source>Not connected to relay %1; trying again. %2</source>
        <translation>Nicht mit dem Relay %1 verbunden; neuer Versuch folgt. %2</translation>
    </message>
    <message>
        <source>The relay refused this station: %1</source>
        <translation>Das Relay hat diese Station abgewiesen: %1</translation>
    </message>
    <message>
        <source>Another program of this station (atmosphere serve?) took over its link to relay %1; the window leaves the link to it.</source>
        <translation>Ein anderes Programm dieser Station (atmosphere serve?) hat ihre Verbindung zum Relay %1 übernommen; das Fenster überlässt sie ihm.</translation>
    </message>
    <message>
        <source>Not connected to relay %1.</source>
        <translation>Nicht mit dem Relay %1 verbunden.</translation>
    </message>
</context>
<context>
    <name>ReportWriter</name>
    <message>
        <source>Atmosphere package verification report</source>
        <translation>Prüfbericht für ein Atmosphere-Paket</translation>
    </message>
    <message>
        <source>Generated: %1</source>
        <translation>Erstellt: %1</translation>
    </message>
    <message>
        <source>File: %1</source>
        <translation>Datei: %1</translation>
    </message>
    <message>
        <source>Archive size: %1</source>
        <translation>Archivgröße: %1</translation>
    </message>
    <message>
        <source>VERDICT: %1</source>
        <translation>URTEIL: %1</translation>
    </message>
    <message>
        <source>Package: %1 (%2), version %3</source>
        <translation>Paket: %1 (%2), Version %3</translation>
    </message>
    <message>
        <source>Created: %1 by %2</source>
        <translation>Erstellt: %1 von %2</translation>
    </message>
    <message>
        <source>Manifest SHA-256: %1</source>
        <translation>SHA-256 des Manifests: %1</translation>
    </message>
    <message>
        <source>Signatures:</source>
        <translation>Signaturen:</translation>
    </message>
    <message>
        <source>  %1: %2, key %3, %4</source>
        <translation>  %1: %2, Schlüssel %3, %4</translation>
    </message>
    <message>
        <source>trusted as “%1”</source>
        <translation>vertraut als „%1“</translation>
    </message>
    <message>
        <source>not trusted</source>
        <translation>nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>    trusted comment: %1</source>
        <translation>    vertrauenswürdiger Kommentar: %1</translation>
    </message>
    <message>
        <source>Chain of custody:</source>
        <translation>Verwahrungskette:</translation>
    </message>
    <message>
        <source>  (no entries)</source>
        <translation>  (keine Einträge)</translation>
    </message>
    <message>
        <source>Device fit:</source>
        <translation>Passung zum Gerät:</translation>
    </message>
    <message>
        <source>  Tier of this machine: %1 (%2)</source>
        <translation>  Stufe dieses Geräts: %1 (%2)</translation>
    </message>
    <message>
        <source>  Space needed: %1, free: %2</source>
        <translation>  Benötigter Speicher: %1, frei: %2</translation>
    </message>
    <message>
        <source>  Installed version: %1</source>
        <translation>  Installierte Version: %1</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message numerus="yes">
        <source>Files (%n):</source>
        <translation>
            <numerusform>Dateien (%n):</numerusform>
            <numerusform>Dateien (%n):</numerusform>
        </translation>
    </message>
    <message>
        <source>tiers %1</source>
        <translation>Stufen %1</translation>
    </message>
    <message>
        <source>      expected %1</source>
        <translation>      erwartet %1</translation>
    </message>
    <message>
        <source>      computed %1</source>
        <translation>      berechnet %1</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Signatures</source>
        <translation>Signaturen</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
    <message>
        <source>Trusted comment</source>
        <translation>Vertrauenswürdiger Kommentar</translation>
    </message>
    <message>
        <source>Chain of custody</source>
        <translation>Verwahrungskette</translation>
    </message>
    <message>
        <source>(no entries)</source>
        <translation>(keine Einträge)</translation>
    </message>
    <message>
        <source>When</source>
        <translation>Wann</translation>
    </message>
    <message>
        <source>Station</source>
        <translation>Station</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Was</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Device fit</source>
        <translation>Passung zum Gerät</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Dateien</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Tiers</source>
        <translation>Stufen</translation>
    </message>
    <message>
        <source>Expected SHA-256</source>
        <translation>Erwarteter SHA-256</translation>
    </message>
    <message>
        <source>Computed SHA-256</source>
        <translation>Berechneter SHA-256</translation>
    </message>
    <message>
        <source>Details: %1</source>
        <translation>Einzelheiten: %1</translation>
    </message>
</context>
<context>
    <name>ScreenshotRenderer</name>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>The mission page did not accept the demo mission</source>
        <translation>Die Missionsseite hat die Demomission nicht angenommen</translation>
    </message>
    <message>
        <source>The contents page did not finish reading</source>
        <translation>Die Inhaltsseite hat das Einlesen nicht abgeschlossen</translation>
    </message>
    <message>
        <source>The build did not finish</source>
        <translation>Die Erstellung wurde nicht abgeschlossen</translation>
    </message>
    <message>
        <source>The build failed: %1</source>
        <translation>Die Erstellung ist fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Verification did not finish</source>
        <translation>Die Prüfung wurde nicht abgeschlossen</translation>
    </message>
    <message>
        <source>USB Export did not read the package or list the drives</source>
        <translation>Der USB-Export hat das Paket nicht gelesen oder die Laufwerke nicht aufgelistet</translation>
    </message>
    <message>
        <source>Writing to the drives did not finish</source>
        <translation>Das Schreiben auf die Laufwerke wurde nicht fertig</translation>
    </message>
    <message>
        <source>Cannot write the demo peer&apos;s models</source>
        <translation>Die Modelle des Demo-Peers können nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Cannot start the demo peer</source>
        <translation>Der Demo-Peer kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>The Mesh view did not show the demo peer&apos;s models</source>
        <translation>Die Mesh-Ansicht hat die Modelle des Demo-Peers nicht angezeigt</translation>
    </message>
    <message>
        <source>The demo download did not finish</source>
        <translation>Der Demo-Download wurde nicht abgeschlossen</translation>
    </message>
    <message>
        <source>The demo download of a damaged file did not end</source>
        <translation>Der Demo-Download einer beschädigten Datei endete nicht</translation>
    </message>
    <message>
        <source>The demo download did not start</source>
        <translation>Der Demo-Download hat nicht begonnen</translation>
    </message>
    <message>
        <source>The Packages tab did not list the demo peer&apos;s packages: %1</source>
        <translation>Der Reiter „Pakete“ hat die Pakete des Demo-Peers nicht aufgelistet: %1</translation>
    </message>
    <message>
        <source>Cannot move %1 aside</source>
        <translation>%1 kann nicht beiseitegelegt werden</translation>
    </message>
    <message>
        <source>The contents page did not show the missing model</source>
        <translation>Die Inhaltsseite hat das fehlende Modell nicht gezeigt</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>System language (%1)</source>
        <translation>Systemsprache (%1)</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>Folder for built packages</source>
        <translation>Ordner für erstellte Pakete</translation>
    </message>
    <message>
        <source>Built &amp;packages go to:</source>
        <translation>Erstellte &amp;Pakete nach:</translation>
    </message>
    <message>
        <source>Install packages into</source>
        <translation>Pakete installieren nach</translation>
    </message>
    <message>
        <source>&amp;Install into:</source>
        <translation>&amp;Installieren nach:</translation>
    </message>
    <message>
        <source>Keys, trust store and package index. Set ATMOSPHERE_HOME to use another folder.</source>
        <translation>Schlüssel, Vertrauensspeicher und Paketindex. Setzen Sie ATMOSPHERE_HOME, um einen anderen Ordner zu verwenden.</translation>
    </message>
    <message>
        <source>Station home:</source>
        <translation>Stationsordner:</translation>
    </message>
    <message>
        <source>A new language is used from the next start of Atmosphere Station.</source>
        <translation>Eine neue Sprache gilt ab dem nächsten Start von Atmosphere Station.</translation>
    </message>
    <message>
        <source>Mesh</source>
        <translation>Mesh</translation>
    </message>
    <message>
        <source>&amp;Serve this station&apos;s models and packages to the mesh</source>
        <translation>Modelle und Pakete dieser Station im Mesh &amp;bereitstellen</translation>
    </message>
    <message>
        <source>every address</source>
        <translation>alle Adressen</translation>
    </message>
    <message>
        <source>Listen on address</source>
        <translation>Auf Adresse lauschen</translation>
    </message>
    <message>
        <source>Listen on &amp;address:</source>
        <translation>Auf Adr&amp;esse lauschen:</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>Port</translation>
    </message>
    <message>
        <source>P&amp;ort:</source>
        <translation>Po&amp;rt:</translation>
    </message>
    <message>
        <source>Advertise and find peers with m&amp;DNS</source>
        <translation>Peers per m&amp;DNS ankündigen und finden</translation>
    </message>
    <message>
        <source>&quot;%1&quot; is not an IP address (leave it empty to listen on every address).</source>
        <translation>„%1“ ist keine IP-Adresse (leer lassen, um auf allen Adressen zu lauschen).</translation>
    </message>
    <message>
        <source>Download speed limits</source>
        <translation>Geschwindigkeitsgrenzen für Downloads</translation>
    </message>
    <message>
        <source>Models and packages under 10 MB:</source>
        <translation>Modelle und Pakete unter 10 MB:</translation>
    </message>
    <message>
        <source>From 10 MB to 500 MB:</source>
        <translation>Von 10 MB bis 500 MB:</translation>
    </message>
    <message>
        <source>Over 500 MB:</source>
        <translation>Über 500 MB:</translation>
    </message>
    <message>
        <source>Speed limit under 10 MB</source>
        <translation>Geschwindigkeitsgrenze unter 10 MB</translation>
    </message>
    <message>
        <source>Speed limit from 10 to 500 MB</source>
        <translation>Geschwindigkeitsgrenze von 10 bis 500 MB</translation>
    </message>
    <message>
        <source>Speed limit over 500 MB</source>
        <translation>Geschwindigkeitsgrenze über 500 MB</translation>
    </message>
    <message>
        <source> MB/s</source>
        <translation> MB/s</translation>
    </message>
    <message>
        <source>Uncapped</source>
        <translation>Unbegrenzt</translation>
    </message>
    <message>
        <source>&amp;Uncapped (LAN)</source>
        <translation>&amp;Unbegrenzt (LAN)</translation>
    </message>
    <message>
        <source>No limit for any size: the default on a local network.</source>
        <translation>Keine Grenze für jede Größe: die Voreinstellung im lokalen Netzwerk.</translation>
    </message>
    <message>
        <source>Mesh &amp;relay limits</source>
        <translation>Grenzen des Mesh-&amp;Relays</translation>
    </message>
    <message>
        <source>What the mesh relay uses: under 10 MB uncapped, 10–500 MB at 5 Mbit/s, over 500 MB at 2 Mbit/s.</source>
        <translation>Was das Mesh-Relay verwendet: unter 10 MB unbegrenzt, 10–500 MB mit 5 Mbit/s, über 500 MB mit 2 Mbit/s.</translation>
    </message>
    <message>
        <source>Each download of that size is held to its limit; changes apply to running downloads at once. 1 MB/s = 8 Mbit/s.</source>
        <translation>Jeder Download dieser Größe hält sich an seine Grenze; Änderungen gelten sofort auch für laufende Downloads. 1 MB/s = 8 Mbit/s.</translation>
    </message>
    <message>
        <source>Station name</source>
        <translation>Stationsname</translation>
    </message>
    <message>
        <source>How other stations see this one: in their peer lists, on mDNS and with &quot;atmosphere package sync --from NAME&quot;. Leave it empty to use the host name.</source>
        <translation>So sehen andere Stationen diese: in ihren Peer-Listen, über mDNS und mit „atmosphere package sync --from NAME“. Leer lassen, um den Hostnamen zu verwenden.</translation>
    </message>
    <message>
        <source>Station &amp;name:</source>
        <translation>Stations&amp;name:</translation>
    </message>
    <message>
        <source>The station name &quot;%1&quot; cannot be used: %2</source>
        <translation>Der Stationsname „%1“ kann nicht verwendet werden: %2</translation>
    </message>
    <message>
        <source>Sending through the mesh&apos;s relay</source>
        <translation>Senden über das Relay des Mesh</translation>
    </message>
    <message>
        <source>&amp;Hold models sent through the relay to these limits</source>
        <translation>Über das Relay gesendete Modelle auf diese Grenzen &amp;halten</translation>
    </message>
    <message>
        <source>Models from 10 MB to 500 MB:</source>
        <translation>Modelle von 10 MB bis 500 MB:</translation>
    </message>
    <message>
        <source>Models over 500 MB:</source>
        <translation>Modelle über 500 MB:</translation>
    </message>
    <message>
        <source>Relay limit from 10 to 500 MB</source>
        <translation>Relay-Grenze von 10 bis 500 MB</translation>
    </message>
    <message>
        <source>Relay limit over 500 MB</source>
        <translation>Relay-Grenze über 500 MB</translation>
    </message>
    <message>
        <source> Mbit/s</source>
        <translation> Mbit/s</translation>
    </message>
    <message>
        <source>Models under 10 MB are never held back. The mesh&apos;s own values are 5 and 2 Mbit/s; a transfer already running keeps the limit it started with.</source>
        <translation>Modelle unter 10 MB werden nie gebremst. Die Werte des Mesh sind 5 und 2 Mbit/s; eine laufende Übertragung behält die Grenze, mit der sie begann.</translation>
    </message>
</context>
<context>
    <name>SignatureModel</name>
    <message>
        <source>Not trusted</source>
        <translation>Nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Role</source>
        <translation>Rolle</translation>
    </message>
    <message>
        <source>Signature</source>
        <translation>Signatur</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Trusted comment</source>
        <translation>Vertrauenswürdiger Kommentar</translation>
    </message>
    <message>
        <source>Trusted as</source>
        <translation>Vertraut als</translation>
    </message>
    <message>
        <source>Not signed</source>
        <translation>Nicht signiert</translation>
    </message>
    <message>
        <source>Key %1 is not trusted here for this role</source>
        <translation>Schlüssel %1 ist hier für diese Rolle nicht vertrauenswürdig</translation>
    </message>
    <message>
        <source>Does not verify: damaged, or the manifest was changed</source>
        <translation>Prüfung fehlgeschlagen: beschädigt, oder das Manifest wurde geändert</translation>
    </message>
</context>
<context>
    <name>SigningKeyModel</name>
    <message>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>None (unencrypted)</source>
        <translation>Keiner (unverschlüsselt)</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Schutz</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
</context>
<context>
    <name>SigningPage</name>
    <message>
        <source>Signing</source>
        <translation>Signieren</translation>
    </message>
    <message>
        <source>The mesh authority&apos;s signature is what devices check before they trust a package. A founder signature can be added as a second, independent one.</source>
        <translation>Die Signatur der Mesh-Autorität prüfen Geräte, bevor sie einem Paket vertrauen. Eine Gründersignatur kann als zweite, unabhängige hinzugefügt werden.</translation>
    </message>
    <message>
        <source>Mesh authority key</source>
        <translation>Schlüssel der Mesh-Autorität</translation>
    </message>
    <message>
        <source>&amp;Mesh authority key:</source>
        <translation>Schlüssel der &amp;Mesh-Autorität:</translation>
    </message>
    <message>
        <source>Also sign as &amp;founder</source>
        <translation>Auch als &amp;Gründer signieren</translation>
    </message>
    <message>
        <source>Also sign as founder</source>
        <translation>Auch als Gründer signieren</translation>
    </message>
    <message>
        <source>Founder key</source>
        <translation>Gründerschlüssel</translation>
    </message>
    <message>
        <source>&amp;Founder key:</source>
        <translation>Gründer&amp;schlüssel:</translation>
    </message>
    <message>
        <source>Passwords are asked when you press Build and are never stored.</source>
        <translation>Passwörter werden beim Klick auf „Erstellen“ abgefragt und nie gespeichert.</translation>
    </message>
    <message>
        <source>Signing problem</source>
        <translation>Problem beim Signieren</translation>
    </message>
    <message>
        <source>Password for the key %1:</source>
        <translation>Passwort für den Schlüssel %1:</translation>
    </message>
    <message>
        <source>Secret key</source>
        <translation>Geheimer Schlüssel</translation>
    </message>
    <message>
        <source>Secret keys (*.key);;All files (*)</source>
        <translation>Geheime Schlüssel (*.key);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>%1 (%2)</source>
        <translation>%1 (%2)</translation>
    </message>
    <message>
        <source>Other key file…</source>
        <translation>Andere Schlüsseldatei …</translation>
    </message>
    <message>
        <source>No keys yet: generate one in the Keys view, or choose a key file.</source>
        <translation>Noch keine Schlüssel: Erzeugen Sie einen in der Ansicht „Schlüssel“ oder wählen Sie eine Schlüsseldatei.</translation>
    </message>
    <message>
        <source>Password-protected</source>
        <translation>Passwortgeschützt</translation>
    </message>
    <message>
        <source>Not password-protected</source>
        <translation>Nicht passwortgeschützt</translation>
    </message>
    <message>
        <source>no public key next to it, so its trust cannot be checked</source>
        <translation>kein öffentlicher Schlüssel daneben, daher ist das Vertrauen nicht prüfbar</translation>
    </message>
    <message>
        <source>trusted here as %1 “%2”</source>
        <translation>hier vertrauenswürdig als %1 „%2“</translation>
    </message>
    <message>
        <source>not trusted here as %1: this station would reject what it signs</source>
        <translation>hier nicht vertrauenswürdig als %1: Diese Station würde ablehnen, was er signiert</translation>
    </message>
    <message>
        <source>No password given for %1.</source>
        <translation>Kein Passwort für %1 angegeben.</translation>
    </message>
</context>
<context>
    <name>StoredPackageModel</name>
    <message>
        <source>Full package</source>
        <translation>Vollständiges Paket</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Inhalt</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Built or received</source>
        <translation>Erstellt oder empfangen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>%1 export</source>
        <translation>Export für %1</translation>
    </message>
    <message>
        <source>Delta update from %1, %2 export</source>
        <translation>Delta-Update von %1, Export für %2</translation>
    </message>
    <message>
        <source>Delta update from %1</source>
        <translation>Delta-Update von %1</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
</context>
<context>
    <name>TierReason</name>
    <message>
        <source>%1 RAM counts as %2</source>
        <translation>%1 RAM gilt als %2</translation>
    </message>
    <message>
        <source>%1 RAM ≥ %2</source>
        <translation>%1 RAM ≥ %2</translation>
    </message>
    <message numerus="yes">
        <source>%n core(s)</source>
        <translation>
            <numerusform>%n Kern</numerusform>
            <numerusform>%n Kerne</numerusform>
        </translation>
    </message>
    <message>
        <source> ≥ %1</source>
        <translation> ≥ %1</translation>
    </message>
    <message>
        <source>a GPU</source>
        <translation>eine GPU</translation>
    </message>
    <message>
        <source>GPU %1</source>
        <translation>GPU %1</translation>
    </message>
    <message>
        <source>%1 VRAM counts as %2</source>
        <translation>%1 VRAM gilt als %2</translation>
    </message>
    <message>
        <source>%1 VRAM ≥ %2</source>
        <translation>%1 VRAM ≥ %2</translation>
    </message>
    <message>
        <source>%1 free ≥ %2</source>
        <translation>%1 frei ≥ %2</translation>
    </message>
    <message>
        <source>%1 RAM (%2 found)</source>
        <translation>%1 RAM (%2 vorhanden)</translation>
    </message>
    <message>
        <source>%1 cores (%2 found)</source>
        <translation>%1 Kerne (%2 vorhanden)</translation>
    </message>
    <message>
        <source>a GPU (none found)</source>
        <translation>eine GPU (keine vorhanden)</translation>
    </message>
    <message>
        <source>%1 VRAM (unknown here)</source>
        <translation>%1 VRAM (hier unbekannt)</translation>
    </message>
    <message>
        <source>%1 VRAM (%2 found)</source>
        <translation>%1 VRAM (%2 vorhanden)</translation>
    </message>
    <message>
        <source>%1 free disk (%2 found)</source>
        <translation>%1 freien Speicher (%2 vorhanden)</translation>
    </message>
    <message>
        <source>%1: chosen by the operator</source>
        <translation>%1: vom Bediener gewählt</translation>
    </message>
    <message>
        <source>%1: the package names no tiers</source>
        <translation>%1: Das Paket nennt keine Stufen</translation>
    </message>
    <message>
        <source>%1: meets none of the package&apos;s requirements, installing its lowest tier</source>
        <translation>%1: erfüllt keine Anforderung des Pakets; seine niedrigste Stufe wird installiert</translation>
    </message>
    <message>
        <source>%1: meets no tier&apos;s thresholds</source>
        <translation>%1: erreicht die Schwellen keiner Stufe</translation>
    </message>
    <message>
        <source>%1: no requirements</source>
        <translation>%1: keine Anforderungen</translation>
    </message>
    <message>
        <source>%1: base tier</source>
        <translation>%1: Grundstufe</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1 needs %2</source>
        <translation>%1 braucht %2</translation>
    </message>
    <message>
        <source> and </source>
        <translation> und </translation>
    </message>
    <message>
        <source>a GPU with %1 VRAM (none found)</source>
        <translation>eine GPU mit %1 VRAM (keine vorhanden)</translation>
    </message>
</context>
<context>
    <name>TiersPage</name>
    <message>
        <source>Version and tiers</source>
        <translation>Version und Stufen</translation>
    </message>
    <message>
        <source>Give the package its version and choose what to write: the full package for every tier, and/or a smaller export per tier for devices that only need that tier.</source>
        <translation>Geben Sie dem Paket seine Version und wählen Sie, was geschrieben wird: das vollständige Paket für alle Stufen und/oder einen kleineren Export je Stufe für Geräte, die nur diese Stufe brauchen.</translation>
    </message>
    <message>
        <source>Package version</source>
        <translation>Paketversion</translation>
    </message>
    <message>
        <source>&amp;Version:</source>
        <translation>&amp;Version:</translation>
    </message>
    <message>
        <source>Packages to write</source>
        <translation>Zu schreibende Pakete</translation>
    </message>
    <message>
        <source>Full package with every tier</source>
        <translation>Vollständiges Paket mit allen Stufen</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen …</translation>
    </message>
    <message>
        <source>Choose the output folder</source>
        <translation>Den Ausgabeordner wählen</translation>
    </message>
    <message>
        <source>&amp;Output folder:</source>
        <translation>&amp;Ausgabeordner:</translation>
    </message>
    <message>
        <source>Compress with &amp;zstd (slower; model weights rarely shrink)</source>
        <translation>Mit &amp;zstd komprimieren (langsamer; Modellgewichte schrumpfen kaum)</translation>
    </message>
    <message>
        <source>Compress with zstd</source>
        <translation>Mit zstd komprimieren</translation>
    </message>
    <message>
        <source>Total size</source>
        <translation>Gesamtgröße</translation>
    </message>
    <message>
        <source>Version and tier problems</source>
        <translation>Probleme mit Version und Stufen</translation>
    </message>
    <message>
        <source>Full package, every tier (%1) — %2</source>
        <translation>Vollständiges Paket, alle Stufen (%1) – %2</translation>
    </message>
    <message>
        <source>No earlier build of %1 found</source>
        <translation>Keine frühere Erstellung von %1 gefunden</translation>
    </message>
    <message>
        <source>Last built: %1</source>
        <translation>Zuletzt erstellt: %1</translation>
    </message>
    <message>
        <source>“%1” is not a version: use digits and dots, like 1.4.</source>
        <translation>„%1“ ist keine Version: Verwenden Sie Ziffern und Punkte, etwa 1.4.</translation>
    </message>
    <message>
        <source>Choose at least one package to write.</source>
        <translation>Wählen Sie mindestens ein zu schreibendes Paket.</translation>
    </message>
    <message>
        <source>Choose an output folder.</source>
        <translation>Wählen Sie einen Ausgabeordner.</translation>
    </message>
    <message>
        <source>%1 already exists in the output folder: choose a new version.</source>
        <translation>%1 existiert bereits im Ausgabeordner: Wählen Sie eine neue Version.</translation>
    </message>
    <message>
        <source>About %1 to write.</source>
        <translation>Etwa %1 zu schreiben.</translation>
    </message>
    <message>
        <source>Version %1 is not newer than %2, the last one built; devices that have %2 will refuse it unless told to downgrade.</source>
        <translation>Version %1 ist nicht neuer als %2, die zuletzt erstellte; Geräte mit %2 lehnen sie ab, sofern kein Downgrade erlaubt wird.</translation>
    </message>
    <message>
        <source>%1 %2</source>
        <translation>%1 %2</translation>
    </message>
    <message>
        <source>No models; configuration, agents, tools and knowledge only.</source>
        <translation>Keine Modelle; nur Konfiguration, Agenten, Werkzeuge und Wissen.</translation>
    </message>
    <message>
        <source>Models: %1</source>
        <translation>Modelle: %1</translation>
    </message>
    <message>
        <source>No models for this tier.</source>
        <translation>Keine Modelle für diese Stufe.</translation>
    </message>
    <message>
        <source>Export for %1 only</source>
        <translation>Export nur für %1</translation>
    </message>
    <message>
        <source>%1 only — %2</source>
        <translation>Nur %1 – %2</translation>
    </message>
    <message>
        <source>Delta update from an earlier version</source>
        <translation>Delta-Update von einer früheren Version</translation>
    </message>
    <message>
        <source>&amp;Delta from:</source>
        <translation>&amp;Delta von:</translation>
    </message>
    <message>
        <source>What a delta update is</source>
        <translation>Was ein Delta-Update ist</translation>
    </message>
    <message>
        <source>None — complete packages</source>
        <translation>Keines — vollständige Pakete</translation>
    </message>
    <message>
        <source>Version %1 (%2, %3)</source>
        <translation>Version %1 (%2, %3)</translation>
    </message>
    <message>
        <source>A delta update carries only what changed since an earlier version; devices need that version installed.</source>
        <translation>Ein Delta-Update enthält nur, was sich seit einer früheren Version geändert hat; Geräte brauchen diese Version installiert.</translation>
    </message>
    <message>
        <source>No earlier complete package of this mission in the station&apos;s store to make a delta update from.</source>
        <translation>Kein früheres vollständiges Paket dieser Mission im Speicher der Station, aus dem ein Delta-Update entstehen könnte.</translation>
    </message>
    <message>
        <source>At most %1 to write (the complete packages&apos; size); a delta carries only what changed since %2.</source>
        <translation>Höchstens %1 zu schreiben (die Größe der vollständigen Pakete); ein Delta enthält nur, was sich seit %2 geändert hat.</translation>
    </message>
    <message>
        <source>Delta update from %1: devices need %1 installed to take it. Its size is shown when it is built, beside the full size.</source>
        <translation>Delta-Update von %1: Geräte brauchen %1 installiert, um es zu übernehmen. Seine Größe wird nach dem Erstellen neben der vollständigen angezeigt.</translation>
    </message>
</context>
<context>
    <name>TrustKeyDialog</name>
    <message>
        <source>Trust a public key</source>
        <translation>Einem öffentlichen Schlüssel vertrauen</translation>
    </message>
    <message>
        <source>Packages signed by this key will be accepted by this station in the role you choose. Compare the key ID with the one its owner gives you.</source>
        <translation>Mit diesem Schlüssel signierte Pakete akzeptiert diese Station in der gewählten Rolle. Vergleichen Sie die Schlüssel-ID mit der, die Ihnen der Inhaber nennt.</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Key ID:</source>
        <translation>Schlüssel-ID:</translation>
    </message>
    <message>
        <source>Name for this key</source>
        <translation>Name für diesen Schlüssel</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Name:</translation>
    </message>
    <message>
        <source>Trust as</source>
        <translation>Vertrauen als</translation>
    </message>
    <message>
        <source>Trust &amp;as:</source>
        <translation>Vertrauen &amp;als:</translation>
    </message>
    <message>
        <source>Trust</source>
        <translation>Vertrauen</translation>
    </message>
</context>
<context>
    <name>TrustedKeyModel</name>
    <message>
        <source>Name</source>
        <translation>Name</translation>
    </message>
    <message>
        <source>Trusted as</source>
        <translation>Vertraut als</translation>
    </message>
    <message>
        <source>Key ID</source>
        <translation>Schlüssel-ID</translation>
    </message>
    <message>
        <source>Public key</source>
        <translation>Öffentlicher Schlüssel</translation>
    </message>
</context>
<context>
    <name>UsbExportJob</name>
    <message>
        <source>Not ejected: a write to this drive failed</source>
        <translation>Nicht ausgeworfen: ein Schreibvorgang auf dieses Laufwerk ist fehlgeschlagen</translation>
    </message>
    <message>
        <source>Writing to USB drives</source>
        <translation>Schreiben auf USB-Laufwerke</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>Flushing to the drive</source>
        <translation>Auf das Laufwerk übertragen</translation>
    </message>
    <message>
        <source>Reading back</source>
        <translation>Zurücklesen</translation>
    </message>
    <message>
        <source>Verified</source>
        <translation>Geprüft</translation>
    </message>
    <message>
        <source>Ejecting</source>
        <translation>Auswerfen</translation>
    </message>
    <message>
        <source>Verified and ejected</source>
        <translation>Geprüft und ausgeworfen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 of %2 drives failed</source>
        <translation>%1 von %2 Laufwerken fehlgeschlagen</translation>
    </message>
    <message>
        <source>%1 of %2 drives could not be ejected</source>
        <translation>%1 von %2 Laufwerken konnten nicht ausgeworfen werden</translation>
    </message>
</context>
<context>
    <name>UsbExportView</name>
    <message>
        <source>Copy a package onto USB drives for devices without a network. Every drive is written, flushed and read back from the drive itself before the file gets its final name, so a file you find on a drive is a file that was verified there.</source>
        <translation>Ein Paket auf USB-Laufwerke kopieren, für Geräte ohne Netzwerk. Jedes Laufwerk wird beschrieben, geleert und vom Laufwerk selbst zurückgelesen, bevor die Datei ihren endgültigen Namen bekommt: Eine Datei, die Sie auf einem Laufwerk finden, wurde dort geprüft.</translation>
    </message>
    <message>
        <source>Package</source>
        <translation>Paket</translation>
    </message>
    <message>
        <source>Package to write</source>
        <translation>Zu schreibendes Paket</translation>
    </message>
    <message>
        <source>No packages on this station yet: build one, or open a file</source>
        <translation>Noch keine Pakete auf dieser Station: eines erstellen oder eine Datei öffnen</translation>
    </message>
    <message>
        <source>Open &amp;file…</source>
        <translation>&amp;Datei öffnen…</translation>
    </message>
    <message>
        <source>Open a package file to write</source>
        <translation>Eine Paketdatei zum Schreiben öffnen</translation>
    </message>
    <message>
        <source>Contents to write</source>
        <translation>Zu schreibender Inhalt</translation>
    </message>
    <message>
        <source>The whole package, or only what devices of one tier need</source>
        <translation>Das ganze Paket oder nur, was Geräte einer Stufe brauchen</translation>
    </message>
    <message>
        <source>&amp;Contents:</source>
        <translation>&amp;Inhalt:</translation>
    </message>
    <message>
        <source>What will be written</source>
        <translation>Was geschrieben wird</translation>
    </message>
    <message>
        <source>Drives</source>
        <translation>Laufwerke</translation>
    </message>
    <message>
        <source>No drives</source>
        <translation>Keine Laufwerke</translation>
    </message>
    <message>
        <source>&amp;Eject when done</source>
        <translation>Danach &amp;auswerfen</translation>
    </message>
    <message>
        <source>Eject each drive once it is written and verified</source>
        <translation>Jedes Laufwerk auswerfen, sobald es beschrieben und geprüft ist</translation>
    </message>
    <message>
        <source>Unmount and power off each drive once its copy is verified, so it can be pulled</source>
        <translation>Jedes Laufwerk aushängen und abschalten, sobald seine Kopie geprüft ist, damit es abgezogen werden kann</translation>
    </message>
    <message>
        <source>Why writing cannot start</source>
        <translation>Warum das Schreiben nicht beginnen kann</translation>
    </message>
    <message>
        <source>Write the package to the ticked drives</source>
        <translation>Das Paket auf die angehakten Laufwerke schreiben</translation>
    </message>
    <message>
        <source>Writing</source>
        <translation>Schreiben</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Ergebnis</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Cancel writing</source>
        <translation>Schreiben abbrechen</translation>
    </message>
    <message>
        <source>Stop writing; no drive keeps a partial file</source>
        <translation>Schreiben abbrechen; kein Laufwerk behält eine halbe Datei</translation>
    </message>
    <message>
        <source>%1 (opened file)</source>
        <translation>%1 (geöffnete Datei)</translation>
    </message>
    <message>
        <source>%1 %2 — %3, %4</source>
        <translation>%1 %2 — %3, %4</translation>
    </message>
    <message>
        <source>full package</source>
        <translation>vollständiges Paket</translation>
    </message>
    <message>
        <source>Open package</source>
        <translation>Paket öffnen</translation>
    </message>
    <message>
        <source>Atmosphere packages (*.atmo);;All files (*)</source>
        <translation>Atmosphere-Pakete (*.atmo);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen…</translation>
    </message>
    <message>
        <source>Cannot be written: %1</source>
        <translation>Kann nicht geschrieben werden: %1</translation>
    </message>
    <message>
        <source>%1 — %2</source>
        <translation>%1 — %2</translation>
    </message>
    <message>
        <source>Writes %1 to each drive; needs %2 free.</source>
        <translation>Schreibt %1 auf jedes Laufwerk; braucht %2 frei.</translation>
    </message>
    <message>
        <source>Looking for drives…</source>
        <translation>Suche nach Laufwerken…</translation>
    </message>
    <message>
        <source>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;Plug in a USB drive…&lt;/b&gt;&lt;/p&gt;&lt;p&gt;It appears here as soon as it is mounted. The computer&apos;s own disks are never listed.&lt;/p&gt;</source>
        <translation>&lt;p style=&apos;font-size:large&apos;&gt;&lt;b&gt;Stecken Sie ein USB-Laufwerk an…&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Es erscheint hier, sobald es eingehängt ist. Die eigenen Platten des Computers werden nie aufgeführt.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Writing…</source>
        <translation>Schreibt…</translation>
    </message>
    <message>
        <source>Choose a package to write.</source>
        <translation>Wählen Sie ein Paket zum Schreiben.</translation>
    </message>
    <message>
        <source>Reading the package…</source>
        <translation>Das Paket wird gelesen…</translation>
    </message>
    <message>
        <source>This package cannot be written (see above).</source>
        <translation>Dieses Paket kann nicht geschrieben werden (siehe oben).</translation>
    </message>
    <message>
        <source>Plug in a USB drive.</source>
        <translation>Stecken Sie ein USB-Laufwerk an.</translation>
    </message>
    <message>
        <source>Tick the drives to write to.</source>
        <translation>Haken Sie die Laufwerke an, auf die geschrieben werden soll.</translation>
    </message>
    <message>
        <source>%1 is too small: needs %2, has %3 free.</source>
        <translation>%1 ist zu klein: braucht %2, hat %3 frei.</translation>
    </message>
    <message numerus="yes">
        <source>&amp;Write to %n drive(s)</source>
        <translation>
            <numerusform>Auf %n Laufwerk &amp;schreiben</numerusform>
            <numerusform>Auf %n Laufwerke &amp;schreiben</numerusform>
        </translation>
    </message>
    <message>
        <source>Write, flush, read back and compare on every ticked drive at once</source>
        <translation>Auf alle angehakten Laufwerke zugleich schreiben, übertragen, zurücklesen und vergleichen</translation>
    </message>
    <message numerus="yes">
        <source>Writing %1 to %n drive(s)…</source>
        <translation>
            <numerusform>%1 wird auf %n Laufwerk geschrieben…</numerusform>
            <numerusform>%1 wird auf %n Laufwerke geschrieben…</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>%1 % %2</source>
        <translation>%1 % %2</translation>
    </message>
    <message numerus="yes">
        <source>Written and verified on %n drive(s).</source>
        <translation>
            <numerusform>Auf %n Laufwerk geschrieben und geprüft.</numerusform>
            <numerusform>Auf %n Laufwerke geschrieben und geprüft.</numerusform>
        </translation>
    </message>
    <message>
        <source>Cancelled. No drive was left with a partial file under the package&apos;s name.</source>
        <translation>Abgebrochen. Auf keinem Laufwerk blieb eine halbe Datei unter dem Namen des Pakets zurück.</translation>
    </message>
    <message>
        <source>%1 of %2 drives written and verified; see below for the others.</source>
        <translation>%1 von %2 Laufwerken geschrieben und geprüft; zu den übrigen siehe unten.</translation>
    </message>
    <message>
        <source>No drive was written; see below for why.</source>
        <translation>Kein Laufwerk wurde beschrieben; warum, steht unten.</translation>
    </message>
    <message>
        <source>%1 export</source>
        <translation>Export für %1</translation>
    </message>
    <message>
        <source>%1 export, as stored</source>
        <translation>Export für %1, wie gespeichert</translation>
    </message>
    <message>
        <source>Full package (%1)</source>
        <translation>Vollständiges Paket (%1)</translation>
    </message>
    <message>
        <source>%1 only — %2</source>
        <translation>Nur %1 – %2</translation>
    </message>
    <message>
        <source>Progress of all drives</source>
        <translation>Fortschritt aller Laufwerke</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Beginnt…</translation>
    </message>
    <message>
        <source>%1 % · %2</source>
        <translation>%1 % · %2</translation>
    </message>
    <message>
        <source>%1 %</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>Tick &amp;all that fit</source>
        <translation>Alle &amp;passenden ankreuzen</translation>
    </message>
    <message>
        <source>Tick every drive the package fits on</source>
        <translation>Jedes Laufwerk ankreuzen, auf das das Paket passt</translation>
    </message>
    <message>
        <source>Tick every drive that can be written and has room for the package</source>
        <translation>Jedes Laufwerk ankreuzen, das beschreibbar ist und Platz für das Paket hat</translation>
    </message>
</context>
<context>
    <name>Verdict</name>
    <message>
        <source>No package open</source>
        <translation>Kein Paket geöffnet</translation>
    </message>
    <message>
        <source>Open a .atmo file, or drop one on this window, to check its signatures and every file.</source>
        <translation>Öffnen Sie eine .atmo-Datei oder ziehen Sie eine auf dieses Fenster, um ihre Signaturen und jede Datei zu prüfen.</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft …</translation>
    </message>
    <message>
        <source>Checking the signatures and every file of %1.</source>
        <translation>Die Signaturen und jede Datei von %1 werden geprüft.</translation>
    </message>
    <message>
        <source>Check cancelled</source>
        <translation>Prüfung abgebrochen</translation>
    </message>
    <message>
        <source>The package was not fully checked. Do not install it.</source>
        <translation>Das Paket wurde nicht vollständig geprüft. Installieren Sie es nicht.</translation>
    </message>
    <message>
        <source>The package failed verification.</source>
        <translation>Das Paket hat die Prüfung nicht bestanden.</translation>
    </message>
    <message>
        <source>Do not install</source>
        <translation>Nicht installieren</translation>
    </message>
    <message>
        <source>Genuine and intact — ready to install</source>
        <translation>Echt und unversehrt – bereit zur Installation</translation>
    </message>
    <message numerus="yes">
        <source>%1 %2: signed by a trusted mesh authority; all %n file(s) match their checksums.</source>
        <translation>
            <numerusform>%1 %2: von einer vertrauenswürdigen Mesh-Autorität signiert; die %n Datei stimmt mit ihrer Prüfsumme überein.</numerusform>
            <numerusform>%1 %2: von einer vertrauenswürdigen Mesh-Autorität signiert; alle %n Dateien stimmen mit ihren Prüfsummen überein.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) for other tiers are not in this export.</source>
        <translation>
            <numerusform>%n Datei für andere Stufen ist nicht in diesem Export.</numerusform>
            <numerusform>%n Dateien für andere Stufen sind nicht in diesem Export.</numerusform>
        </translation>
    </message>
    <message>
        <source>It does not contain every file this machine&apos;s %1 needs (complete for %2).</source>
        <translation>Es enthält nicht alle Dateien, die %1 dieses Geräts braucht (vollständig für %2).</translation>
    </message>
    <message>
        <source>A delta update from %1: it installs only onto that version.</source>
        <translation>Ein Delta-Update von %1: es lässt sich nur auf diese Version installieren.</translation>
    </message>
    <message>
        <source>Genuine and intact — already installed</source>
        <translation>Echt und unversehrt — bereits installiert</translation>
    </message>
    <message>
        <source>Genuine and intact — needs version %1 installed first</source>
        <translation>Echt und unversehrt — braucht zuerst installierte Version %1</translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Verdict</source>
        <translation>Urteil</translation>
    </message>
    <message>
        <source>Reason</source>
        <translation>Begründung</translation>
    </message>
</context>
<context>
    <name>VerifyJob</name>
    <message>
        <source>Installing</source>
        <translation>Installieren</translation>
    </message>
    <message>
        <source>Verifying</source>
        <translation>Prüfen</translation>
    </message>
</context>
<context>
    <name>VerifyNote</name>
    <message>
        <source>The package could not be checked (see the details).</source>
        <translation>Das Paket konnte nicht geprüft werden (siehe Einzelheiten).</translation>
    </message>
    <message>
        <source>%1 is not an Atmosphere package.</source>
        <translation>%1 ist kein Atmosphere-Paket.</translation>
    </message>
    <message>
        <source>The archive is damaged or cut short.</source>
        <translation>Das Archiv ist beschädigt oder abgeschnitten.</translation>
    </message>
    <message>
        <source>The archive is damaged at %1.</source>
        <translation>Das Archiv ist bei %1 beschädigt.</translation>
    </message>
    <message>
        <source>The package carries no mesh authority signature.</source>
        <translation>Das Paket trägt keine Signatur der Mesh-Autorität.</translation>
    </message>
    <message>
        <source>The package is signed by key %1, which this station does not trust as mesh authority.</source>
        <translation>Das Paket ist mit dem Schlüssel %1 signiert, dem diese Station nicht als Mesh-Autorität vertraut.</translation>
    </message>
    <message>
        <source>The mesh authority signature does not match the package: its manifest was changed after signing, or the signature is damaged.</source>
        <translation>Die Signatur der Mesh-Autorität passt nicht zum Paket: Das Manifest wurde nach dem Signieren geändert, oder die Signatur ist beschädigt.</translation>
    </message>
    <message>
        <source>The founder signature does not match the package&apos;s manifest.</source>
        <translation>Die Gründer-Signatur passt nicht zum Manifest des Pakets.</translation>
    </message>
    <message>
        <source>The manifest names a founder signature by key %1, but the package does not carry it.</source>
        <translation>Das Manifest nennt eine Gründer-Signatur mit dem Schlüssel %1, aber das Paket enthält sie nicht.</translation>
    </message>
    <message>
        <source>A signature was made by key %1, not by the key the manifest names.</source>
        <translation>Eine Signatur wurde mit dem Schlüssel %1 erstellt, nicht mit dem Schlüssel, den das Manifest nennt.</translation>
    </message>
    <message>
        <source>%1 does not match its checksum: it was altered or damaged.</source>
        <translation>%1 passt nicht zu seiner Prüfsumme: Die Datei wurde verändert oder beschädigt.</translation>
    </message>
    <message>
        <source>%1 is not the size the manifest says.</source>
        <translation>%1 hat nicht die Größe, die das Manifest angibt.</translation>
    </message>
    <message>
        <source>%1 is cut short.</source>
        <translation>%1 ist abgeschnitten.</translation>
    </message>
    <message>
        <source>%1 is missing from the package.</source>
        <translation>%1 fehlt im Paket.</translation>
    </message>
    <message>
        <source>This is an export for %1: it lacks files a %2 device needs.</source>
        <translation>Dies ist ein Export für %1: Ihm fehlen Dateien, die ein %2-Gerät braucht.</translation>
    </message>
    <message>
        <source>This export lacks files this device needs.</source>
        <translation>Diesem Export fehlen Dateien, die dieses Gerät braucht.</translation>
    </message>
    <message>
        <source>The package is built for %1, none of which suits this device.</source>
        <translation>Das Paket ist für %1 gebaut; keine davon passt zu diesem Gerät.</translation>
    </message>
    <message>
        <source>The package is built for tiers none of which suits this device.</source>
        <translation>Das Paket ist für Stufen gebaut, von denen keine zu diesem Gerät passt.</translation>
    </message>
    <message>
        <source>The package breaks a rule of the package format (see the details).</source>
        <translation>Das Paket verletzt eine Regel des Paketformats (siehe Einzelheiten).</translation>
    </message>
    <message>
        <source>The check was cancelled.</source>
        <translation>Die Prüfung wurde abgebrochen.</translation>
    </message>
    <message>
        <source>Altered or damaged: its SHA-256 differs from the manifest&apos;s</source>
        <translation>Verändert oder beschädigt: Der SHA-256 weicht vom Manifest ab</translation>
    </message>
    <message>
        <source>Not the size the manifest says</source>
        <translation>Nicht die Größe laut Manifest</translation>
    </message>
    <message>
        <source>Cut short</source>
        <translation>Abgeschnitten</translation>
    </message>
    <message>
        <source>Missing from the package</source>
        <translation>Fehlt im Paket</translation>
    </message>
    <message>
        <source>Not in this export, and needed for this device&apos;s tier</source>
        <translation>Nicht in diesem Export, aber für die Stufe dieses Geräts nötig</translation>
    </message>
    <message>
        <source>The archive is damaged here</source>
        <translation>Das Archiv ist hier beschädigt</translation>
    </message>
    <message>
        <source>The check was cancelled here</source>
        <translation>Die Prüfung wurde hier abgebrochen</translation>
    </message>
    <message>
        <source>The check stopped here (see the details)</source>
        <translation>Die Prüfung endete hier (siehe Einzelheiten)</translation>
    </message>
</context>
</TS>
