// Entry points of the `atmosphere` subcommands; each takes the arguments
// after its name and returns the process exit code.
#pragma once

#include <QStringList>

namespace cli {

int keyGenerate(const QStringList& args);
int trustAdd(const QStringList& args);
int trustList(const QStringList& args);
int trustRemove(const QStringList& args);
int packageCreate(const QStringList& args);
int packageExport(const QStringList& args);
int packageVerify(const QStringList& args);
int packageImport(const QStringList& args);
int packageList(const QStringList& args);
int packageStored(const QStringList& args); // PackageStored.cpp
int packageRollback(const QStringList& args);
int packageCheckUpdates(const QStringList& args);
int packageSync(const QStringList& args);
int drives(const QStringList& args);
int peers(const QStringList& args);
int models(const QStringList& args);
int meshCreate(const QStringList& args);   // MeshKeyCommands.cpp
int meshToken(const QStringList& args);
int meshInvite(const QStringList& args);
int meshIdentity(const QStringList& args);
int serve(const QStringList& args);
int modelPull(const QStringList& args);
int meshRegister(const QStringList& args); // RelayCommands.cpp
int meshJoin(const QStringList& args);
int meshStatus(const QStringList& args);

} // namespace cli
