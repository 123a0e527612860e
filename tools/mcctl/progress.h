// Progress of a cohort on stderr: a bar redrawn in place on a terminal, otherwise one plain line
// per batch ("issued 500/1200, 2 refused") that logs and CI output keep readable.
#ifndef MICROCRED_TOOLS_MCCTL_PROGRESS_H_
#define MICROCRED_TOOLS_MCCTL_PROGRESS_H_

#include <ostream>

namespace microcred::mcctl {

class Progress {
 public:
  Progress(int total, bool terminal, std::ostream& out)
      : total_(total), terminal_(terminal), out_(out) {}

  // After each batch: rows answered so far, of which issued (new or earlier) and refused.
  void Update(int done, int issued, int refused);
  // Ends the bar's line (terminal only).
  void Finish();

 private:
  const int total_;
  const bool terminal_;
  std::ostream& out_;
  bool drawn_ = false;
};

}  // namespace microcred::mcctl

#endif  // MICROCRED_TOOLS_MCCTL_PROGRESS_H_
