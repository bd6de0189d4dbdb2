package api

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/shouhou/shouhou/internal/store"
)

// authzMatrix is who may call each route, written out by hand: a change of a
// route's permission must be made here too, and a new route without a line here
// fails TestAuthorizationMatrix. "public" needs no session; "intake" takes only an
// API token with the intake scope (every role's full-access token is refused with
// scope_required), and an intake token is refused everywhere else (token_scope).
var authzMatrix = map[string]string{
	"GET /api/v1/openapi.json":                         "public",
	"POST /api/v1/tracking/callback/{provider}":        "public", // checked by the provider's signature
	"GET /api/v1/warehouse/parcels":                    "warehouse",
	"POST /api/v1/warehouse/receipts":                  "warehouse",
	"GET /api/v1/warehouse/unknown":                    "agent",
	"POST /api/v1/warehouse/unknown/{id}/claim":        "agent",
	"GET /api/v1/warehouse/unknown/{id}/photos/{hash}": "agent",
	"GET /api/v1/cases/{id}/parcels":                   "agent",
	"GET /healthz":                                     "public",
	"POST /api/v1/auth/login":                          "public",
	"POST /api/v1/auth/logout":                         "user", // any signed-in user, the warehouse included
	"GET /api/v1/me":                                   "user",
	"GET /api/v1/codes":                                "agent",

	"GET /api/v1/cases":                                    "agent",
	"POST /api/v1/cases":                                   "agent",
	"GET /api/v1/cases/{id}":                               "agent",
	"PATCH /api/v1/cases/{id}":                             "agent",
	"GET /api/v1/cases/{id}/guide":                         "agent",
	"GET /api/v1/cases/{id}/events":                        "agent",
	"POST /api/v1/cases/{id}/events":                       "agent",
	"POST /api/v1/cases/{id}/remarks":                      "agent",
	"POST /api/v1/cases/{id}/evidence":                     "agent",
	"GET /api/v1/cases/{id}/evidence/{hash}":               "agent",
	"GET /api/v1/cases/{id}/evidence/{hash}/thumb":         "agent",
	"POST /api/v1/cases/{id}/upload-links":                 "agent",
	"GET /api/v1/cases/{id}/upload-links":                  "agent",
	"DELETE /api/v1/cases/{id}/upload-links/{lid}":         "agent",
	"POST /api/v1/cases/{id}/close":                        "agent",
	"POST /api/v1/cases/{id}/reopen":                       "agent",
	"POST /api/v1/cases/{id}/merge":                        "agent",
	"POST /api/v1/cases/{id}/split":                        "agent",
	"POST /api/v1/cases/{id}/executions/{sid}/transitions": "agent",
	"GET /api/v1/cases/{id}/scripts":                       "agent",
	"POST /api/v1/cases/{id}/reply":                        "agent",
	"GET /api/v1/approvals":                                "supervisor",
	"GET /api/v1/payouts":                                  "supervisor",
	"GET /api/v1/payouts.csv":                              "supervisor",
	"GET /api/v1/alerts":                                   "supervisor",
	"GET /api/v1/reports/summary":                          "supervisor",
	"GET /api/v1/register":                                 "agent",
	"POST /api/v1/register/import":                         "supervisor",
	"POST /api/v1/alerts/{id}/acknowledge":                 "supervisor",
	"POST /api/v1/import/aftersales":                       "supervisor",
	"POST /api/v1/intake/aftersales":                       "intake",     // an API token with the intake scope, any role
	"POST /api/v1/cases/{id}/assign":                       "supervisor", // an agent may only claim (dispatch tests)
	"GET /api/v1/agents":                                   "agent",
	"PUT /api/v1/agents/{name}":                            "supervisor", // an agent sets only their own status
	"PUT /api/v1/me/status":                                "agent",
	"GET /api/v1/shops":                                    "agent",
	"GET /api/v1/shops/{id}":                               "agent",
	"POST /api/v1/shops":                                   "admin",
	"PUT /api/v1/shops/{id}":                               "admin",
	"GET /api/v1/notifications":                            "agent",
	"POST /api/v1/notifications/read":                      "agent",
	"GET /api/v1/notifications/stream":                     "agent",
	"GET /api/v1/webhooks/deliveries":                      "admin",
	"POST /api/v1/webhooks/deliveries/{id}/replay":         "admin",
	"GET /api/v1/clock":                                    "agent",
	"POST /api/v1/clock/advance":                           "admin",

	"GET /api/v1/training/scenarios":             "agent",
	"GET /api/v1/training/scenarios/{id}":        "supervisor",
	"POST /api/v1/training/assignments":          "supervisor",
	"GET /api/v1/training/assignments":           "agent",
	"POST /api/v1/training/attempts":             "agent",
	"GET /api/v1/training/attempts":              "agent",
	"GET /api/v1/training/attempts/{id}":         "agent",
	"POST /api/v1/training/attempts/{id}/skip":   "agent",
	"POST /api/v1/training/attempts/{id}/finish": "agent",
	"GET /api/v1/training/compare":               "agent",
	"POST /api/v1/training/replays":              "supervisor",

	"POST /api/v1/classify":             "agent",
	"POST /api/v1/lint":                 "agent",
	"GET /api/v1/scripts":               "agent",
	"PUT /api/v1/scripts/{id}":          "supervisor",
	"DELETE /api/v1/scripts/{id}":       "supervisor",
	"POST /api/v1/scripts/{id}/restore": "supervisor",
	"POST /api/v1/sop/policy":           "admin",
	"GET /api/v1/scripts/{id}/history":  "agent",
	"POST /api/v1/script-images":        "supervisor",
	"GET /api/v1/script-images/{hash}":  "agent",
	"GET /api/v1/tokens":                "agent",
	"POST /api/v1/tokens":               "agent",
	"DELETE /api/v1/tokens/{id}":        "agent",
	"GET /api/v1/users":                 "admin",
	"POST /api/v1/users":                "admin",
	"PATCH /api/v1/users/{id}":          "admin",
}

// TestAuthorizationMatrix calls every route of the route table as nobody and as
// each role, and checks the answer against authzMatrix: 401 without a session, 403
// below the route's role, and neither at or above it.
func TestAuthorizationMatrix(t *testing.T) {
	h := newHarness(t)
	caseID := h.createCase()
	rank := map[string]int{"public": 0, "agent": 1, "supervisor": 2, "admin": 3, "intake": 1, "warehouse": 1, "user": 1}
	intakeToken := h.intakeToken(store.RoleAdmin)
	callers := []struct {
		role store.Role
		rank int
	}{{"", 0}, {store.RoleAgent, 1}, {store.RoleSupervisor, 2}, {store.RoleAdmin, 3}, {store.RoleWarehouse, 0}}
	// mayCall: the warehouse role has no rank; it calls only the "warehouse" routes,
	// which supervisors and admins may call too.
	mayCall := func(need string, role store.Role, rank int) bool {
		switch need {
		case "public":
			return true
		case "user":
			return role != ""
		case "warehouse":
			return role == store.RoleWarehouse || role == store.RoleSupervisor || role == store.RoleAdmin
		}
		return role != store.RoleWarehouse && rank >= map[string]int{"agent": 1, "supervisor": 2, "admin": 3}[need]
	}
	seen := map[string]bool{}
	for _, rt := range h.api.routes {
		key := rt.method + " " + rt.pattern
		need, ok := authzMatrix[key]
		if !ok {
			t.Errorf("route %s has no line in authzMatrix: say who may call it", key)
			continue
		}
		seen[key] = true
		path := strings.NewReplacer("{hash}", strings.Repeat("0", 64), "{sid}", "1").Replace(rt.pattern)
		switch {
		case strings.HasPrefix(path, "/api/v1/cases/"):
			path = strings.Replace(path, "{id}", fmt.Sprint(caseID), 1)
		case strings.HasPrefix(path, "/api/v1/scripts/"):
			path = strings.Replace(path, "{id}", "no-such-script", 1)
		default:
			path = strings.Replace(path, "{id}", "999999", 1)
		}
		for _, c := range callers {
			var r reply
			if strings.HasSuffix(path, "/stream") {
				r = h.peek(c.role, path) // a stream never ends: its status is the answer
			} else {
				r = h.do(c.role, rt.method, path, "{}")
			}
			who := string(c.role)
			if who == "" {
				who = "nobody"
			}
			code := fmt.Sprint(r.body["code"])
			switch {
			case need == "intake" && c.role != "":
				if r.status != http.StatusForbidden || code != "scope_required" {
					t.Errorf("%s as %s with a full-access token: %d %s; want 403 scope_required", key, who, r.status, r.raw)
				}
			case rank[need] > 0 && c.role == "":
				if r.status != http.StatusUnauthorized || code != "unauthenticated" {
					t.Errorf("%s as %s: %d %s; want 401", key, who, r.status, r.raw)
				}
			case !mayCall(need, c.role, c.rank):
				if r.status != http.StatusForbidden || code != "forbidden" {
					t.Errorf("%s as %s: %d %s; want 403", key, who, r.status, r.raw)
				}
			default:
				if code == "forbidden" || code == "unauthenticated" || r.status >= 500 {
					t.Errorf("%s as %s: %d %s; want it let through", key, who, r.status, r.raw)
				}
			}
		}
	}
	// An intake token: let through on the intake routes, refused on every other one
	// that needs a sign-in.
	full := h.tokens[store.RoleAdmin]
	h.tokens[store.RoleAdmin] = intakeToken
	for _, rt := range h.api.routes {
		key := rt.method + " " + rt.pattern
		need := authzMatrix[key]
		if need == "public" || strings.HasSuffix(rt.pattern, "/stream") {
			continue
		}
		path := strings.NewReplacer("{hash}", strings.Repeat("0", 64), "{sid}", "1", "{id}", fmt.Sprint(caseID), "{lid}", "1", "{name}", "x").Replace(rt.pattern)
		r := h.do(store.RoleAdmin, rt.method, path, "{}")
		code := fmt.Sprint(r.body["code"])
		if need == "intake" && (code == "forbidden" || code == "scope_required" || code == "unauthenticated" || r.status >= 500) {
			t.Errorf("%s with an intake token: %d %s; want it let through", key, r.status, r.raw)
		}
		if need != "intake" && (r.status != http.StatusForbidden || code != "token_scope") {
			t.Errorf("%s with an intake token: %d %s; want 403 token_scope", key, r.status, r.raw)
		}
	}
	h.tokens[store.RoleAdmin] = full
	for key := range authzMatrix {
		if !seen[key] {
			t.Errorf("authzMatrix names %s, which is not in the route table", key)
		}
	}
	if r := h.do(store.RoleAdmin, "GET", "/api/v1/no-such-route", nil); r.status != http.StatusNotFound || r.body["code"] != "no_route" {
		t.Errorf("an unknown API path: %d %s", r.status, r.raw)
	}
}

// peek reads the status (and, for a refusal, the body) of a streaming route without
// waiting for the stream to end.
func (h *harness) peek(role store.Role, path string) reply {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.srv.URL+path, nil)
	if role != "" {
		req.Header.Set("Authorization", "Bearer "+h.tokens[role])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	out := reply{status: resp.StatusCode, header: resp.Header}
	if resp.StatusCode >= 400 {
		out.raw, _ = io.ReadAll(resp.Body)
		json.Unmarshal(out.raw, &out.body)
	}
	return out
}
