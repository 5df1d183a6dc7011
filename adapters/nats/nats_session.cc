#include "nats_session.h"

#include <string_view>
#include <vector>

namespace parcours::adapters::nats {

Error natsError(natsStatus status, const std::string& what) {
  const char* last = nats_GetLastError(nullptr);
  std::string text = natsStatus_GetText(status);
  if (last != nullptr && *last != '\0' && text != last) text += " (" + std::string(last) + ")";
  // Connection trouble is I/O; anything else the server refused is input.
  const bool io = status == NATS_CONNECTION_CLOSED || status == NATS_NO_SERVER ||
                  status == NATS_TIMEOUT || status == NATS_IO_ERROR ||
                  status == NATS_CONNECTION_DISCONNECTED || status == NATS_STALE_CONNECTION ||
                  status == NATS_NO_RESPONDERS;
  std::string message = what + ": " + text;
  return io ? Error::ioError(std::move(message)) : Error::invalidInput(std::move(message));
}

std::string republishSubject(const StreamSettings& settings) {
  return settings.subjectPrefix + "_control." + settings.stream + ".republish";
}

Result<std::unique_ptr<NatsSession>> NatsSession::connect(const StreamSettings& settings,
                                                          const std::string& name,
                                                          jsPubAckHandler ackHandler,
                                                          void* ackClosure) {
  std::unique_ptr<NatsSession> session(new NatsSession(settings));
  natsStatus s = natsOptions_Create(&session->options_);
  // A cluster is a comma-separated list of URLs: the client fails over.
  std::vector<std::string> urls;
  for (std::size_t start = 0; start <= settings.url.size();) {
    const std::size_t comma = std::min(settings.url.find(',', start), settings.url.size());
    if (comma > start) urls.push_back(settings.url.substr(start, comma - start));
    start = comma + 1;
  }
  if (urls.empty()) return Error::invalidInput("--nats: no URL given (nats://host:port)");
  std::vector<const char*> servers;
  for (const auto& u : urls) servers.push_back(u.c_str());
  if (s == NATS_OK) {
    s = natsOptions_SetServers(session->options_, servers.data(), static_cast<int>(servers.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetName(session->options_, name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(session->options_, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(session->options_, 250);
  if (s == NATS_OK) s = natsOptions_SetTimeout(session->options_, 2000);
  // No reconnect buffer: a publish while disconnected fails at once instead
  // of being replayed later behind messages sent since (out of log order).
  if (s == NATS_OK) s = natsOptions_SetReconnectBufSize(session->options_, 0);
  if (s != NATS_OK) return natsError(s, "setting the NATS options for " + settings.url);
  s = natsConnection_Connect(&session->connection_, session->options_);
  if (s != NATS_OK) return natsError(s, "connecting to NATS at " + settings.url);
  jsOptions jsOptions;
  jsOptions_Init(&jsOptions);
  jsOptions.Wait = 5000;
  jsOptions.PublishAsync.MaxPending = 8192;
  jsOptions.PublishAsync.AckHandler = ackHandler;
  jsOptions.PublishAsync.AckHandlerClosure = ackClosure;
  s = natsConnection_JetStream(&session->js_, session->connection_, &jsOptions);
  if (s != NATS_OK) return natsError(s, "opening JetStream at " + settings.url);
  return session;
}

NatsSession::~NatsSession() {
  jsCtx_Destroy(js_);
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
  }
  natsOptions_Destroy(options_);
}

bool NatsSession::connected() const {
  return connection_ != nullptr && natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

Result<std::uint64_t> NatsSession::ensureStream() {
  jsStreamInfo* info = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, js_, settings_.stream.c_str(), nullptr, &code);
  if (s == NATS_NOT_FOUND) {
    const std::string subjects = settings_.subjectPrefix + ".>";
    const char* subjectList[] = {subjects.c_str()};
    jsStreamConfig config;
    jsStreamConfig_Init(&config);
    config.Name = settings_.stream.c_str();
    config.Subjects = subjectList;
    config.SubjectsLen = 1;
    config.Storage = js_FileStorage;
    config.Replicas = settings_.replicas;
    config.Retention = js_LimitsPolicy;
    config.Duplicates = std::chrono::nanoseconds(settings_.duplicateWindow).count();
    config.MaxMsgSize = 1 << 20;
    s = js_AddStream(&info, js_, &config, nullptr, &code);
    if (s != NATS_OK) {
      return natsError(s, "creating the JetStream stream " + settings_.stream + " (error " +
                              std::to_string(code) + ")");
    }
  } else if (s != NATS_OK) {
    return natsError(s, "reading the JetStream stream " + settings_.stream);
  }
  std::uint64_t last = info->State.LastSeq;
  bool takesOurSubjects = false;
  const std::string ours = settings_.subjectPrefix + ".>";
  for (int i = 0; i < info->Config->SubjectsLen; ++i) {
    if (ours == info->Config->Subjects[i]) takesOurSubjects = true;
  }
  jsStreamInfo_Destroy(info);
  if (!takesOurSubjects) {
    return Error::invalidInput("the JetStream stream " + settings_.stream +
                               " exists but does not take the subjects " + ours +
                               ": give another --nats-stream or --nats-subject-prefix");
  }
  return last;
}

Result<NatsSession::StreamState> NatsSession::streamState() {
  jsStreamInfo* info = nullptr;
  natsStatus s = js_GetStreamInfo(&info, js_, settings_.stream.c_str(), nullptr, nullptr);
  if (s == NATS_NOT_FOUND) return Error::notFound("no JetStream stream " + settings_.stream);
  if (s != NATS_OK) return natsError(s, "reading the JetStream stream " + settings_.stream);
  StreamState state{info->State.FirstSeq, info->State.LastSeq, info->State.Msgs};
  jsStreamInfo_Destroy(info);
  return state;
}

Result<MessagePtr> NatsSession::messageAt(std::uint64_t seq) {
  natsMsg* msg = nullptr;
  jsErrCode code = static_cast<jsErrCode>(0);
  natsStatus s = js_GetMsg(&msg, js_, settings_.stream.c_str(), seq, nullptr, &code);
  if (s == NATS_NOT_FOUND || code == JSNoMessageFoundErr) {
    return Error::notFound("no message " + std::to_string(seq) + " in " + settings_.stream);
  }
  if (s != NATS_OK) {
    return natsError(s, "reading message " + std::to_string(seq) + " of " + settings_.stream);
  }
  return MessagePtr(msg);
}

}  // namespace parcours::adapters::nats
