// Key work that can take a noticeable moment (scrypt): generating a key pair
// into a folder, optionally trusting its public key, or unlocking a secret
// key file with a password.
#pragma once

#include <QString>

#include <optional>

#include "app/Job.h"
#include "core/package/minisign.h"
#include "core/package/trust_store.h"

class KeyJob : public Job {
    Q_OBJECT
public:
    struct GenerateRequest {
        QString dir;
        QString name;
        std::optional<QString> password;   // nullopt: unencrypted
        std::optional<atmo::TrustRole> trustAs;
        QString trustDir;
    };

    static KeyJob* generate(GenerateRequest request, QObject* parent = nullptr);
    static KeyJob* unlock(QString keyFile, std::optional<QString> password, QObject* parent = nullptr);

    // Valid once finished.
    const std::optional<atmo::SecretKey>& secretKey() const { return secret_; }
    const std::optional<atmo::PublicKey>& publicKey() const { return public_; }
    // Why an unlock failed (None when it did not fail, or for generate).
    atmo::SecretKeyProblem keyProblem() const { return problem_; }
    // The failed unlock in the window's language ("Wrong password for
    // mesh.key."), app/KeyNote.h; empty when it did not fail.
    QString unlockError() const;
    QString secretKeyFile() const { return keyFile_; }
    QString publicKeyFile() const { return pubFile_; }

protected:
    void run() override;

private:
    enum class Mode { Generate, Unlock };
    KeyJob(Mode mode, QObject* parent);

    Mode mode_;
    GenerateRequest generate_;
    std::optional<QString> password_;
    QString keyFile_;
    QString pubFile_;
    std::optional<atmo::SecretKey> secret_;
    std::optional<atmo::PublicKey> public_;
    atmo::SecretKeyProblem problem_ = atmo::SecretKeyProblem::None;
    atmo::Error unlockFailure_;
};
