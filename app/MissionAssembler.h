// Creates a new mission source directory from files the user picks: copies
// each into the folder for its kind (config/, models/, agents/, tools/,
// knowledge/) and writes config/mission.yaml with the id, name and tiers,
// the same layout `atmosphere package create --mission` reads.
#pragma once

#include <QCoreApplication>
#include <QString>
#include <QVector>

#include <vector>

#include "core/package/manifest.h"

class MissionAssembler {
    Q_DECLARE_TR_FUNCTIONS(MissionAssembler)
public:
    struct Pick {
        QString source;
        atmo::ContentKind kind = atmo::ContentKind::Config;
    };

    void add(const QString& file, atmo::ContentKind kind);
    void add(const QString& file) { add(file, guessKind(file)); }
    void remove(int index);
    void clear() { picks_.clear(); }
    const QVector<Pick>& picks() const { return picks_; }
    void setKind(int index, atmo::ContentKind kind);

    // By name: *.chunks.jsonl knowledge; model weights by extension; agent-
    // or tool- prefixed YAML; other YAML configuration.
    static atmo::ContentKind guessKind(const QString& file);

    // Refuses a destination that already holds a mission; copies nothing on
    // a validation failure. Returns the mission directory's error text or "".
    QString create(const QString& destination, const QString& id, const QString& name,
                   const std::vector<int>& tiers) const;

private:
    QVector<Pick> picks_;
};
