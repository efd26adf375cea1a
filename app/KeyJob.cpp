#include "app/KeyJob.h"

#include <QFileInfo>

#include "app/KeyNote.h"
#include "app/PathConversion.h"

namespace {
std::optional<std::string> toStd(const std::optional<QString>& s)
{
    if (!s)
        return std::nullopt;
    return s->toStdString();
}
} // namespace

KeyJob::KeyJob(Mode mode, QObject* parent)
    : Job(mode == Mode::Generate ? tr("Generating key") : tr("Unlocking key"), parent), mode_(mode)
{
    setLogName(mode == Mode::Generate ? QStringLiteral("generate key") : QStringLiteral("unlock key"));
}

KeyJob* KeyJob::generate(GenerateRequest request, QObject* parent)
{
    auto* job = new KeyJob(Mode::Generate, parent);
    job->keyFile_ = request.dir + QLatin1Char('/') + request.name + QStringLiteral(".key");
    job->pubFile_ = request.dir + QLatin1Char('/') + request.name + QStringLiteral(".pub");
    job->generate_ = std::move(request);
    return job;
}

KeyJob* KeyJob::unlock(QString keyFile, std::optional<QString> password, QObject* parent)
{
    auto* job = new KeyJob(Mode::Unlock, parent);
    job->keyFile_ = std::move(keyFile);
    job->password_ = std::move(password);
    return job;
}

QString KeyJob::unlockError() const
{
    if (mode_ != Mode::Unlock || succeeded() || !isFinished())
        return {};
    return KeyNote::unlockFailed(problem_, QFileInfo(keyFile_).fileName(), unlockFailure_);
}

void KeyJob::run()
{
    if (mode_ == Mode::Unlock) {
        auto key = atmo::loadSecretKey(toFsPath(keyFile_), toStd(password_), &problem_);
        if (!key) {
            unlockFailure_ = key.error();
            setFailure(key.error());
            return;
        }
        secret_ = key.value();
        public_ = key->publicKey();
        setOutcome(true, {});
        return;
    }
    const atmo::SecretKey key = atmo::generateSecretKey();
    auto written = atmo::writeKeyPair(toFsPath(generate_.dir), generate_.name.toStdString(), key,
                                      toStd(generate_.password));
    if (!written) {
        setFailure(written.error());
        return;
    }
    public_ = written.value();
    if (generate_.trustAs) {
        atmo::TrustStore trust(toFsPath(generate_.trustDir));
        auto added = trust.add(*public_, *generate_.trustAs, generate_.name.toStdString());
        if (!added) {
            setFailure(added.error());
            return;
        }
    }
    setOutcome(true, {});
}
