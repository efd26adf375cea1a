// The window on the mesh's relay, against a real relay process
// (tests/relay/atmo_relay.py, the mesh relay's behaviour) on loopback: the
// founder's station registers its mesh from the Join dialog, a second
// station joins with the invite link the first one issues, each Mesh view
// shows the other node arrive and leave, live; a station started again
// rejoins by itself; a program of the same home taking the link over
// (`atmosphere serve`) keeps it; and a form that cannot work, or a relay
// that refuses or does not answer, says why and changes nothing.
#include <QDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QtTest>

#include "app/StationContext.h"
#include "app/mesh/DownloadListModel.h"
#include "app/mesh/DownloadManager.h"
#include "app/mesh/MeshPresence.h"
#include "app/mesh/PeerDirectory.h"
#include "app/mesh/PeerListModel.h"
#include "app/relay/RelayPresence.h"
#include "core/base/sha256.h"
#include "core/package/station_home.h"
#include "core/relay/invite_issuer.h"
#include "core/relay/join_token.h"
#include "core/relay/relay_membership.h"
#include "relay_process.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/DownloadRow.h"
#include "ui/JoinMeshDialog.h"
#include "ui/MainWindow.h"
#include "ui/MeshView.h"

using namespace testutil;

namespace {
QString q(const fs::path& p) { return QString::fromStdString(p.string()); }

// A station: its home, context and window.
struct Station {
    atmo::StationHome home;
    StationContext context;
    MainWindow window;
    Station(const fs::path& root, const QString& settings)
        : home(root), context(atmo::StationHome(root), settings), window(context)
    {
    }
    QString relayText() const { return window.meshView()->relayStatus()->text(); }
    bool member() const { return window.relay().membership().has_value(); }
};

QString inviteLink(const atmo::StationHome& founder, const QString& relayUrl, std::optional<std::string> nodeId = {})
{
    atmo::InviteRequest request;
    request.nodeId = std::move(nodeId);
    request.endpoints = {"local:192.0.2.10:14345", "relay:" + relayUrl.toStdString()};
    auto invite = atmo::issueInvite(founder, request, atmo::unixSecondsNow());
    if (!invite)
        qFatal("issueInvite: %s", invite.message().c_str());
    return QString::fromStdString(atmo::inviteLink(*invite));
}
} // namespace

class TestGuiRelay : public QObject {
    Q_OBJECT
    Sandbox box_;
    std::unique_ptr<RelayProcess> relay_;
    std::unique_ptr<Station> founder_;
    std::unique_ptr<Station> member_;

    // Fills the dialog and joins; true when the dialog closed accepted.
    static bool joinThrough(JoinMeshDialog& d)
    {
        if (!d.joinButton()->isEnabled() || !d.startJoin())
            return false;
        return QTest::qWaitFor([&] { return d.result() == QDialog::Accepted || d.joinButton()->isEnabled(); }, 30000) &&
               d.result() == QDialog::Accepted;
    }

private slots:
    void initTestCase()
    {
        // Anything that still reaches for the default home finds a sandbox.
        qputenv("ATMOSPHERE_HOME", (box_ / "default-home").string().c_str());
        relay_ = std::make_unique<RelayProcess>();
        QVERIFY(relay_->ok());
        const atmo::StationHome founder(box_ / "founder");
        QVERIFY(founder.ensure().ok());
        QVERIFY(founder.createMeshKey("depot-7").ok());
        QVERIFY(founder.setMeshName("depot-7", "Depot 7").ok());
        QVERIFY(founder.setMeshId("depot-7").ok());
        QVERIFY(founder.setNodeName("depot-station").ok());
        const atmo::StationHome member(box_ / "member");
        QVERIFY(member.ensure().ok());
        QVERIFY(member.setNodeName("field-tablet").ok());
        founder_ = std::make_unique<Station>(box_ / "founder", q(box_ / "founder.ini"));
        member_ = std::make_unique<Station>(box_ / "member", q(box_ / "member.ini"));
        // English as the window shows it (its plural forms come from atmosphere_en).
        QVERIFY(founder_->context.language().apply("en"));
        founder_->window.startRelay();
        member_->window.startRelay();
    }

    void cleanupTestCase()
    {
        member_.reset();
        founder_.reset();
    }

    void notAMemberOffersToJoin()
    {
        QVERIFY2(member_->relayText().startsWith("Not in a mesh on a relay"), qPrintable(member_->relayText()));
        QVERIFY(!member_->window.meshView()->relayStatus()->isHidden());
        QCOMPARE(member_->window.meshView()->relayButton()->text(), QString("&Join a mesh on a relay…"));
    }

    void founderRegistersItsMesh()
    {
        JoinMeshDialog d(founder_->home, founder_->window.relay());
        QVERIFY(d.founderButton()->isEnabled());
        d.founderButton()->setChecked(true);
        QVERIFY(!d.joinButton()->isEnabled()); // no relay yet
        QVERIFY2(d.checkLabel()->text().contains("relay's URL"), qPrintable(d.checkLabel()->text()));
        d.relayEdit()->setText(relay_->url());
        QVERIFY2(d.checkLabel()->text().contains("Registers mesh “depot-7”"), qPrintable(d.checkLabel()->text()));
        QVERIFY(joinThrough(d));
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().startsWith("Joined mesh Depot 7 on relay " + relay_->meshUrl("depot-7") +
                                                     " as founder; no other node"),
                     qPrintable(founder_->relayText()), 20000);
        QCOMPARE(founder_->window.meshView()->relayButton()->text(), QString("&Leave the relay mesh…"));
        auto remembered = atmo::loadRelayMembership(atmo::relayMembershipFile(founder_->home));
        QVERIFY(remembered.ok());
        QVERIFY(remembered->founder);
        QCOMPARE(remembered->meshId, std::string("depot-7"));
    }

    void memberJoinsWithTheInviteLink()
    {
        JoinMeshDialog d(member_->home, member_->window.relay());
        QVERIFY(!d.founderButton()->isEnabled()); // holds no mesh key
        QVERIFY(!d.joinButton()->isEnabled());
        d.credentialEdit()->setPlainText(inviteLink(founder_->home, relay_->url()));
        // The invite names the relay: nothing to type.
        QVERIFY2(d.checkLabel()->text().startsWith("Joins mesh “depot-7” on relay " + relay_->url() + " as a member"),
                 qPrintable(d.checkLabel()->text()));
        QCOMPARE(d.relayEdit()->placeholderText(), relay_->url());
        QVERIFY(joinThrough(d));
        QTRY_VERIFY2_WITH_TIMEOUT(member_->relayText().contains("as member; 1 other node: depot-station."),
                     qPrintable(member_->relayText()), 20000);
        // Live on the founder's side too.
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("as founder; 1 other node: field-tablet."),
                     qPrintable(founder_->relayText()), 20000);
        QCOMPARE(member_->home.meshId(), std::string("depot-7"));
        auto remembered = atmo::loadRelayMembership(atmo::relayMembershipFile(member_->home));
        QVERIFY(remembered.ok());
        QVERIFY(!remembered->founder);
        QVERIFY(!remembered->tokenJson.empty());
    }

    // A node that is only on the relay (a node written like the mesh's
    // Python nodes, behind NAT: no HTTP endpoint) gossips its catalog: the
    // member's Mesh view lists it as reached through the relay, and its
    // model downloads through the relay into the library, the downloads
    // panel saying which way.
    void aNodeOnlyOnTheRelayIsListedAndDownloadedFrom()
    {
        const std::string pyNode = "0a1b2c3d4e5f6071";
        atmo::JoinTokenRequest request;
        request.meshId = "depot-7";
        request.issuerId = *founder_->home.nodeId();
        request.nodeId = pyNode;
        auto token = atmo::issueJoinToken(*founder_->home.meshKey("depot-7"), request, atmo::unixSecondsNow());
        QVERIFY(token.ok());
        writeFile(box_ / "py-token.json", atmo::joinTokenJson(*token));
        const fs::path model = box_ / "py-models" / "edge-detector.gguf";
        fs::create_directories(model.parent_path());
        writeRandomFile(model, 5 * 1024 * 1024 + 321, 3);
        MeshNodeProcess node;
        QVERIFY(node.start(relay_->meshUrl("depot-7"), q(box_ / "py-token.json"), QString::fromStdString(pyNode),
                           {"serve", q(model), "edge-detector"}));

        PeerDirectory& directory = member_->window.mesh().directory();
        const QString key = DownloadSource::relayKey(QString::fromStdString(pyNode));
        QTRY_VERIFY_WITH_TIMEOUT(directory.rowOf(key) >= 0, 20000);
        const PeerState& row = directory.peer(directory.rowOf(key));
        QCOMPARE(row.origin, atmo::PeerOrigin::Relay);
        QCOMPARE(row.displayName(), QString("python-node"));
        PeerListModel peers(&directory);
        const QModelIndex status = peers.index(directory.rowOf(key), PeerListModel::StatusColumn);
        QCOMPARE(peers.data(status).toString(), QString("Reachable through the relay only"));

        std::optional<atmo::MergedEntry> entry;
        for (const auto& e : directory.merged())
            if (e.entry.modelId == "edge-detector")
                entry = e;
        QVERIFY(entry);
        const auto sources = directory.sourcesFor(*entry);
        QCOMPARE(sources.size(), std::size_t(1));
        QCOMPARE(sources[0].relayNode, QString::fromStdString(pyNode));

        DownloadManager& downloads = member_->window.downloads();
        const quint64 id = downloads.addModel(*entry);
        QTRY_VERIFY_WITH_TIMEOUT(downloads.find(id)->state == atmo::TransferState::Done ||
                                     downloads.find(id)->state == atmo::TransferState::Failed,
                                 120000);
        QVERIFY2(downloads.find(id)->state == atmo::TransferState::Done, qPrintable(downloads.find(id)->error));
        QVERIFY(readFile(member_->home.modelsDir() / "edge-detector.gguf") == readFile(model));
        QCOMPARE(downloads.find(id)->peers, QStringList{key});
        QVERIFY2(node.waitLine("COMPLETE verified"), node.out.constData());

        // The panel names the way: "node … through the relay".
        DownloadListModel list(&downloads);
        DownloadRow view;
        view.refresh(list.index(downloads.rowOf(id), 0));
        QVERIFY2(view.peersLabel()->text().contains("from node " + QString::fromStdString(pyNode) + " through the relay"),
                 qPrintable(view.peersLabel()->text()));

        // For a look at it (ATMO_TEST_SHOTS=DIR): the Mesh view with the relay node and its download.
        if (const QString shots = qEnvironmentVariable("ATMO_TEST_SHOTS"); !shots.isEmpty()) {
            member_->window.resize(1280, 820);
            member_->window.showView(MainWindow::MeshViewIndex);
            member_->window.show();
            QTest::qWait(300);
            member_->window.grab().save(shots + "/relay-mesh.png");
        }

        // The node leaves the relay: its row and its catalog go.
        node.process.kill();
        QTRY_VERIFY_WITH_TIMEOUT(directory.rowOf(key) < 0, 20000);
    }

    // The other way: the founder's window answers a node's model_request
    // with the models its library offers (RelayModelServer in the window),
    // and gossips its catalog to the nodes on the relay.
    void aNodeOnTheRelayFetchesFromTheWindow()
    {
        const fs::path file = box_ / "founder-models" / "line-camera.gguf";
        fs::create_directories(file.parent_path());
        writeRandomFile(file, 700 * 1024 + 9, 4);
        atmo::LocalModel model;
        model.entry.modelId = "line-camera";
        model.entry.name = "line-camera";
        model.entry.type = "vision";
        model.entry.format = "gguf";
        model.entry.version = "2.0";
        model.entry.sizeBytes = fs::file_size(file);
        model.entry.sha256 = *atmo::sha256FileHex(file, {});
        model.file = file;
        founder_->window.relay().setModels({model}, {});
        QVERIFY(founder_->window.relay().modelServer());
        // Sent under the caps of the Settings (the protocol's by default).
        QCOMPARE(founder_->window.relay().modelServer()->caps().largeBitsPerSecond,
                 founder_->context.settings().relaySendCaps().largeBitsPerSecond);
        QVERIFY(founder_->window.relay().modelServer()->caps().enabled);

        // The member's window hears the catalog (the founder's window answers
        // no HTTP here: its presence was not started).
        PeerDirectory& directory = member_->window.mesh().directory();
        const QString founderId = QString::fromStdString(*founder_->home.nodeId());
        QTRY_VERIFY_WITH_TIMEOUT(directory.rowOf(DownloadSource::relayKey(founderId)) >= 0, 20000);

        const std::string pyNode = "0b1b2c3d4e5f6072";
        atmo::JoinTokenRequest request;
        request.meshId = "depot-7";
        request.issuerId = founderId.toStdString();
        request.nodeId = pyNode;
        auto token = atmo::issueJoinToken(*founder_->home.meshKey("depot-7"), request, atmo::unixSecondsNow());
        QVERIFY(token.ok());
        writeFile(box_ / "py-token-2.json", atmo::joinTokenJson(*token));
        const fs::path out = box_ / "py-got.gguf";
        MeshNodeProcess node;
        QVERIFY(node.start(relay_->meshUrl("depot-7"), q(box_ / "py-token-2.json"), QString::fromStdString(pyNode),
                           {"fetch", founderId, "line-camera", q(out)}));
        QVERIFY2(node.waitLine("VERIFIED", 60000), node.out.constData());
        QVERIFY(readFile(out) == readFile(file));
    }

    void aStationStartedAgainRejoins()
    {
        member_.reset();
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("no other node"), qPrintable(founder_->relayText()), 20000);
        member_ = std::make_unique<Station>(box_ / "member", q(box_ / "member.ini"));
        member_->window.startRelay();
        QTRY_VERIFY2_WITH_TIMEOUT(member_->relayText().contains("as member; 1 other node: depot-station."),
                     qPrintable(member_->relayText()), 20000);
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("1 other node: field-tablet."), qPrintable(founder_->relayText()), 20000);
    }

    void aServiceOnTheSameHomeKeepsTheLink()
    {
        // `atmosphere mesh status` on the founder's home connects as the same
        // node, as `atmosphere serve` would: the relay gives it the link.
        // Run beside the event loop: the relay closes the window's old link
        // and waits for the window to answer that close.
        QProcess cli;
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", q(box_ / "founder"));
        cli.setProcessEnvironment(env);
        cli.start(cliPath(), {"mesh", "status"});
        QVERIFY(QTest::qWaitFor([&] { return cli.state() == QProcess::NotRunning; }, 60000));
        QVERIFY2(cli.exitStatus() == QProcess::NormalExit && cli.exitCode() == 0, cli.readAllStandardError().constData());
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("took over its link"), qPrintable(founder_->relayText()),
                                  20000);
        QCOMPARE(founder_->window.meshView()->relayButton()->text(), QString("Re&connect"));
        // The window does not take it back by itself (a service would lose it) ...
        QTest::qWait(1500);
        QCOMPARE(founder_->window.relay().state(), RelayClient::State::Replaced);
        // ... only when asked.
        founder_->window.meshView()->relayButton()->click();
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("as founder; 1 other node: field-tablet."),
                                  qPrintable(founder_->relayText()), 20000);
        QCOMPARE(founder_->window.meshView()->relayButton()->text(), QString("&Leave the relay mesh…"));
    }

    void formsThatCannotWorkSayWhy()
    {
        JoinMeshDialog d(member_->home, member_->window.relay());
        d.credentialEdit()->setPlainText("atmosphere://join?invite=not-base64!");
        QVERIFY(!d.joinButton()->isEnabled());
        QVERIFY(!d.checkLabel()->text().isEmpty());
        QVERIFY(!d.startJoin());
        // Bound to another device.
        d.credentialEdit()->setPlainText(inviteLink(founder_->home, relay_->url(), "0123456789abcdef"));
        QVERIFY(!d.joinButton()->isEnabled());
        QVERIFY2(d.checkLabel()->text().contains("0123456789abcdef"), qPrintable(d.checkLabel()->text()));
        // A bare token names no relay.
        atmo::InviteRequest request;
        auto token = atmo::issueMeshToken(founder_->home, request, atmo::unixSecondsNow());
        QVERIFY(token.ok());
        d.credentialEdit()->setPlainText(QString::fromStdString(atmo::joinTokenJson(*token)));
        QVERIFY(!d.joinButton()->isEnabled());
        QVERIFY2(d.checkLabel()->text().contains("names no relay"), qPrintable(d.checkLabel()->text()));
        d.relayEdit()->setText("http://127.0.0.1:1");
        QVERIFY(!d.joinButton()->isEnabled());
        QVERIFY2(d.checkLabel()->text().contains("ws"), qPrintable(d.checkLabel()->text()));
        d.relayEdit()->setText(relay_->url());
        QVERIFY(d.joinButton()->isEnabled());
        // Still joined as before: nothing was tried.
        QCOMPARE(member_->window.relay().state(), RelayClient::State::Joined);
    }

    void aRefusalOrNoRelayChangesNothing()
    {
        // A token signed by another mesh key for this mesh: the relay refuses it.
        const atmo::StationHome forger(box_ / "forger");
        QVERIFY(forger.ensure().ok());
        QVERIFY(forger.createMeshKey("depot-7").ok());
        QVERIFY(forger.setMeshId("depot-7").ok());
        auto forged = atmo::issueMeshToken(forger, atmo::InviteRequest{}, atmo::unixSecondsNow());
        QVERIFY(forged.ok());
        const auto before = atmo::loadRelayMembership(atmo::relayMembershipFile(member_->home));
        QVERIFY(before.ok());
        {
            JoinMeshDialog d(member_->home, member_->window.relay());
            d.credentialEdit()->setPlainText(QString::fromStdString(atmo::joinTokenJson(*forged)));
            d.relayEdit()->setText(relay_->url());
            QVERIFY(!joinThrough(d));
            QVERIFY2(d.checkLabel()->text().startsWith("Not joined: "), qPrintable(d.checkLabel()->text()));
        }
        {
            // Nobody listens there.
            JoinMeshDialog d(member_->home, member_->window.relay());
            d.credentialEdit()->setPlainText(inviteLink(founder_->home, relay_->url()));
            d.relayEdit()->setText(QStringLiteral("ws://127.0.0.1:%1").arg(unusedPort()));
            QVERIFY(!joinThrough(d));
            QVERIFY2(d.checkLabel()->text().startsWith("Not joined: "), qPrintable(d.checkLabel()->text()));
        }
        const auto after = atmo::loadRelayMembership(atmo::relayMembershipFile(member_->home));
        QVERIFY(after.ok());
        QVERIFY(*after == *before);
        QCOMPARE(member_->window.relay().state(), RelayClient::State::Joined);
        QVERIFY2(member_->relayText().contains("1 other node: depot-station."), qPrintable(member_->relayText()));
    }

    void leavingForgetsAndTheOthersSeeIt()
    {
        QVERIFY(member_->window.relay().leave().ok());
        QVERIFY(!fs::exists(atmo::relayMembershipFile(member_->home)));
        QVERIFY2(member_->relayText().startsWith("Not in a mesh on a relay"), qPrintable(member_->relayText()));
        QCOMPARE(member_->window.meshView()->relayButton()->text(), QString("&Join a mesh on a relay…"));
        QTRY_VERIFY2_WITH_TIMEOUT(founder_->relayText().contains("no other node"), qPrintable(founder_->relayText()), 20000);
        // Started again, it stays out.
        member_ = std::make_unique<Station>(box_ / "member", q(box_ / "member.ini"));
        member_->window.startRelay();
        QVERIFY(!member_->member());
        QVERIFY2(member_->relayText().startsWith("Not in a mesh on a relay"), qPrintable(member_->relayText()));
    }
};

ATMO_TEST_MAIN(TestGuiRelay)
#include "tst_gui_relay.moc"
