//! `io lease jobs`: the jobs submitted to a lease's cluster, their status and logs, read from
//! Ray's job API through the head's gateway (each request signed by the renter).
use super::Target;
use crate::output::Render;
use anyhow::Result;
use serde::{Deserialize, Serialize};

/// One job as Ray's job API lists it (the fields used; Ray sends more).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    /// `SUBMISSION` for `ray job submit`, `DRIVER` for a script that called `ray.init` itself.
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub submission_id: Option<String>,
    #[serde(default)]
    pub job_id: Option<String>,
    /// PENDING, RUNNING, STOPPED, SUCCEEDED or FAILED.
    pub status: String,
    #[serde(default)]
    pub entrypoint: String,
    #[serde(default)]
    pub message: Option<String>,
    /// ms since the Unix epoch (0 or absent when not started / not ended).
    #[serde(default)]
    pub start_time: Option<u64>,
    #[serde(default)]
    pub end_time: Option<u64>,
    /// The job's output (`io lease jobs LEASE JOB`, or every job with `--logs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logs: Option<String>,
}

impl Job {
    /// The id `ray job` commands take: the submission id, else the job id.
    pub fn id(&self) -> &str {
        self.submission_id.as_deref().or(self.job_id.as_deref()).unwrap_or("?")
    }
}

#[derive(Deserialize)]
struct Logs {
    logs: String,
}

/// `io lease jobs`.
#[derive(Serialize)]
pub struct Jobs {
    pub lease: String,
    pub head: String,
    pub endpoint: String,
    pub jobs: Vec<Job>,
}

/// The jobs (one when `job` is given), newest first, with their logs when asked (always for one).
pub async fn list(target: &Target, job: Option<&str>, with_logs: bool) -> Result<Jobs> {
    let http = reqwest::Client::builder().timeout(std::time::Duration::from_secs(30)).build()?;
    let mut jobs: Vec<Job> = match job {
        Some(id) => vec![target.get(&http, &format!("/api/jobs/{id}")).await?],
        None => target.get(&http, "/api/jobs/").await?,
    };
    jobs.sort_by_key(|j| std::cmp::Reverse(j.start_time.unwrap_or(0)));
    if with_logs || job.is_some() {
        for j in &mut jobs {
            // Only submitted jobs keep their output with the job API.
            if let Some(id) = j.submission_id.clone() {
                let logs: Logs = target.get(&http, &format!("/api/jobs/{id}/logs")).await?;
                j.logs = Some(logs.logs);
            }
        }
    }
    Ok(Jobs {
        lease: target.lease.to_string(),
        head: target.head.to_string(),
        endpoint: target.endpoint.clone(),
        jobs,
    })
}

fn seconds(j: &Job) -> String {
    match (j.start_time, j.end_time) {
        (Some(s), Some(e)) if s > 0 && e >= s => format!("{:.1} s", (e - s) as f64 / 1000.0),
        (Some(s), _) if s > 0 => "running".into(),
        _ => "-".into(),
    }
}

impl Render for Jobs {
    fn text(&self) -> String {
        if self.jobs.is_empty() {
            return format!(
                "lease {}: no jobs yet. Submit one through `io lease connect {}` with `ray job submit --address \
                 http://127.0.0.1:PORT -- python job.py`",
                self.lease, self.lease
            );
        }
        let mut out = format!("lease {} — cluster head {} at {}\n", self.lease, self.head, self.endpoint);
        out.push_str(&format!("{:<28} {:<10} {:>9}  {}\n", "JOB", "STATUS", "TIME", "ENTRYPOINT"));
        for j in &self.jobs {
            out.push_str(&format!("{:<28} {:<10} {:>9}  {}\n", j.id(), j.status, seconds(j), j.entrypoint));
            if let Some(m) = j.message.as_deref().filter(|m| !m.is_empty() && j.status != "SUCCEEDED") {
                out.push_str(&format!("  {m}\n"));
            }
        }
        for j in self.jobs.iter().filter(|j| j.logs.is_some()) {
            out.push_str(&format!("\n--- logs of {} ---\n{}", j.id(), j.logs.as_deref().unwrap_or("")));
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        out.trim_end().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rays_job_list_reads_and_renders() {
        // The shape of Ray 2.58's GET /api/jobs/ (fields trimmed).
        let body = r#"[{"type":"SUBMISSION","job_id":"02000000","submission_id":"raysubmit_A","driver_info":null,
            "status":"SUCCEEDED","entrypoint":"python job.py","message":"Job finished successfully.",
            "error_type":null,"start_time":1000,"end_time":3500,"metadata":{},"runtime_env":{}},
            {"type":"DRIVER","job_id":"01000000","submission_id":null,"status":"FAILED","entrypoint":"",
            "message":"boom","start_time":500,"end_time":null}]"#;
        let jobs: Vec<Job> = serde_json::from_str(body).unwrap();
        let mut out = Jobs { lease: "L".into(), head: "H".into(), endpoint: "http://g".into(), jobs };
        out.jobs[0].logs = Some("task-A ran on node 127.0.0.11".into());
        let text = out.text();
        assert!(text.contains("raysubmit_A                  SUCCEEDED      2.5 s  python job.py"), "{text}");
        assert!(text.contains("01000000") && text.contains("  boom"), "{text}");
        assert!(text.contains("--- logs of raysubmit_A ---\ntask-A ran on node 127.0.0.11"), "{text}");
    }
}
