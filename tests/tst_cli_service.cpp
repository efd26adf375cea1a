// `atmosphere serve` as a systemd service, without systemd running: the
// real binary started with a NOTIFY_SOCKET the test listens on (as systemd
// would for Type=notify) says READY=1 once it answers HTTP, with its pid and
// status, and STOPPING=1 on SIGTERM, after which it exits 0; the shipped
// units (system and user) pass `systemd-analyze verify` with nothing said.
// Every reply is one access line on stderr, without its query string.
#include <QFile>
#include <QProcess>
#include <QUrl>
#include <QtTest>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <csignal>
#include <cstring>

#include "test_main.h"
#include "testutil.h"

using namespace testutil;

namespace {

// A datagram socket bound at a path: what systemd listens on.
class NotifySocket {
public:
    explicit NotifySocket(const fs::path& path) : path_(path)
    {
        fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        sockaddr_un a{};
        a.sun_family = AF_UNIX;
        std::strncpy(a.sun_path, path.c_str(), sizeof(a.sun_path) - 1);
        bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    }
    ~NotifySocket()
    {
        if (fd_ >= 0)
            ::close(fd_);
    }
    bool ok() const { return bound_; }
    // The next datagram, or "" after timeoutMs.
    QString receive(int timeoutMs)
    {
        pollfd p{fd_, POLLIN, 0};
        if (::poll(&p, 1, timeoutMs) != 1)
            return {};
        char buf[4096];
        const ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
        return n > 0 ? QString::fromUtf8(buf, int(n)) : QString();
    }

private:
    fs::path path_;
    int fd_ = -1;
    bool bound_ = false;
};

// GET `path` from 127.0.0.1:port; the whole answer, or "" if it cannot connect.
QByteArray httpGet(int port, const char* path)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<std::uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    QByteArray answer;
    if (fd >= 0 && ::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
        const std::string request = std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
            char buf[4096];
            pollfd p{fd, POLLIN, 0};
            while (::poll(&p, 1, 10000) == 1) {
                const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
                if (n <= 0)
                    break;
                answer.append(buf, int(n));
            }
        }
    }
    if (fd >= 0)
        ::close(fd);
    return answer;
}

// The value of KEY= in a notification.
QString field(const QString& message, const QString& key)
{
    for (const QString& line : message.split('\n'))
        if (line.startsWith(key + "="))
            return line.mid(key.size() + 1);
    return {};
}

} // namespace

class CliService : public QObject {
    Q_OBJECT

private slots:
    void readinessAndCleanStop()
    {
        Sandbox sb;
        NotifySocket notify(sb / "notify");
        QVERIFY(notify.ok());
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", QString::fromStdString((sb / "home").string()));
        env.insert("NOTIFY_SOCKET", QString::fromStdString((sb / "notify").string()));
        serve.setProcessEnvironment(env);
        serve.start(cliPath(), {"serve", "--port", "0", "--bind", "127.0.0.1", "--no-mdns", "--no-library-defaults"});
        QVERIFY(serve.waitForStarted());

        const QString ready = notify.receive(60000);
        QVERIFY2(field(ready, "READY") == "1", qPrintable("not ready: " + ready + serve.readAllStandardError()));
        QCOMPARE(field(ready, "MAINPID").toLongLong(), serve.processId());
        const QString status = field(ready, "STATUS");
        QVERIFY2(status.startsWith("serving 0 models on http://127.0.0.1:"), qPrintable(status));
        // Ready means answering: /health, right now.
        const QUrl url(status.section(' ', -1));
        const QByteArray answer = httpGet(url.port(), "/health");
        QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());

        // A request with a query string and a newline-forging target.
        QVERIFY(httpGet(url.port(), "/v1/models/x%0Aforged?token=secret").startsWith("HTTP/1.1 404"));
        const QByteArray refused = httpGet(url.port(), "/a b"); // a malformed request line
        QVERIFY2(refused.startsWith("HTTP/1.1 400"), refused.constData());

        ::kill(static_cast<pid_t>(serve.processId()), SIGTERM);
        QCOMPARE(field(notify.receive(30000), "STOPPING"), QString("1"));
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.exitCode(), 0); // a clean stop, as systemd expects of SIGTERM
        // The access log: one line per reply, on stderr (journald), without the query.
        const QString err = QString::fromUtf8(serve.readAllStandardError());
        QVERIFY2(err.contains("atmosphere: atmosphere.mesh.server: 127.0.0.1 \"GET /health\" 200 "), qPrintable(err));
        QVERIFY2(err.contains("\"GET /v1/models/x%250Aforged\" 404"), qPrintable(err)); // '%' itself escaped
        QVERIFY2(err.contains("\"-\" 400"), qPrintable(err)); // refused before it was read whole
        QVERIFY2(!err.contains("secret") && !err.contains("token"), qPrintable(err));
    }

    // Outside systemd nothing changes: no NOTIFY_SOCKET, or one nobody
    // listens on, is no reason to fail.
    void noServiceManagerIsFine()
    {
        Sandbox sb;
        QProcess serve;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("ATMOSPHERE_HOME", QString::fromStdString((sb / "home").string()));
        env.insert("NOTIFY_SOCKET", QString::fromStdString((sb / "nobody-listens").string()));
        serve.setProcessEnvironment(env);
        serve.start(cliPath(), {"serve", "--port", "0", "--bind", "127.0.0.1", "--no-mdns", "--no-library-defaults",
                                "--json"});
        QVERIFY(serve.waitForStarted());
        QVERIFY(waitFor([&] { return serve.canReadLine() || (serve.waitForReadyRead(100) && serve.canReadLine()); },
                        60000));
        QVERIFY(serve.readLine().contains("\"serving\":true"));
        ::kill(static_cast<pid_t>(serve.processId()), SIGTERM);
        QVERIFY(serve.waitForFinished(30000));
        QCOMPARE(serve.exitCode(), 0);
    }

    void unitsPassSystemdAnalyze_data()
    {
        QTest::addColumn<QString>("unit");
        QTest::addColumn<bool>("user");
        QTest::newRow("system") << "installer/systemd/atmosphere-serve.service.in" << false;
        QTest::newRow("user") << "installer/systemd/user/atmosphere-serve.service.in" << true;
    }

    void unitsPassSystemdAnalyze()
    {
        QFETCH(QString, unit);
        QFETCH(bool, user);
        const QString analyze = QStandardPaths::findExecutable("systemd-analyze");
        if (analyze.isEmpty())
            QSKIP("systemd-analyze is not installed (installer/setup-deps.sh installs it)");
        Sandbox sb;
        // As CMake configures it, with the binary this build made.
        QFile in(qEnvironmentVariable("ATMO_SOURCE_DIR") + "/" + unit);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QString text = QString::fromUtf8(in.readAll());
        QVERIFY(text.contains("@ATMO_CLI_PATH@"));
        text.replace("@ATMO_CLI_PATH@", cliPath());
        writeFile(sb / "atmosphere-serve.service", text.toStdString());
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        fs::create_directories(sb / "runtime");
        fs::permissions(sb / "runtime", fs::perms::owner_all);
        env.insert("XDG_RUNTIME_DIR", QString::fromStdString((sb / "runtime").string())); // --user needs one
        p.setProcessEnvironment(env);
        QStringList args;
        if (user)
            args << "--user";
        args << "verify" << "--man=no" << QString::fromStdString((sb / "atmosphere-serve.service").string());
        p.start(analyze, args);
        QVERIFY(p.waitForFinished(60000));
        const QString said = QString::fromUtf8(p.readAllStandardError() + p.readAllStandardOutput()).trimmed();
        QVERIFY2(p.exitCode() == 0 && said.isEmpty(), qPrintable(said));
        // The service it describes: notify readiness, an unprivileged user of its own.
        QVERIFY(text.contains("Type=notify"));
        if (!user) {
            QVERIFY(text.contains("DynamicUser=yes"));
            QVERIFY(text.contains("StateDirectory=atmosphere"));
        }
    }
};

ATMO_TEST_GUILESS_MAIN(CliService)
#include "tst_cli_service.moc"
