package api

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/shouhou/shouhou/internal/store"
)

// badTextMessage is what a client is told when a request holds a NUL character or
// bytes that are not UTF-8: no store keeps them faithfully (PostgreSQL refuses both).
const badTextMessage = "请求中含有空字符或无效的UTF-8编码,请删除后重试"

// checkURL refuses a path or query parameter holding a NUL or invalid UTF-8, naming
// the parameter; it runs before any handler, so nothing reaches the store.
func checkURL(u *url.URL) error {
	if !store.CleanText(u.Path) {
		return fieldError("path", badTextMessage)
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return fieldError("query", "查询参数格式不正确")
	}
	return checkValues(q)
}

func checkValues(v url.Values) error {
	for key, vals := range v {
		if !store.CleanText(key) {
			return fieldError("query", badTextMessage)
		}
		for _, s := range vals {
			if !store.CleanText(s) {
				return fieldError(key, badTextMessage)
			}
		}
	}
	return nil
}

// checkJSONText refuses a JSON body that is not UTF-8 or holds a NUL, raw or as the
// escape \u0000 (encoding/json would quietly turn invalid bytes into U+FFFD and keep
// the NUL).
func checkJSONText(body []byte) error {
	if !store.CleanText(string(body)) {
		return fieldError("body", badTextMessage)
	}
	for i := 0; i+1 < len(body); i++ {
		if body[i] != '\\' {
			continue
		}
		if body[i+1] == 'u' && i+6 <= len(body) && string(body[i+2:i+6]) == "0000" {
			return fieldError("body", badTextMessage)
		}
		i++ // skip the escaped character, so "\\u0000" (a backslash, then text) passes
	}
	return nil
}

// SanitizeForms guards the pages outside the API (the workbench): a path, query or
// urlencoded form field with a NUL or invalid UTF-8 is answered 422 with a Chinese
// message before any handler runs. The API checks its own requests (see wrap).
func SanitizeForms(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := checkURL(r.URL)
		if err == nil && r.Method == http.MethodPost &&
			strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
			if perr := r.ParseForm(); perr == nil {
				err = checkValues(r.PostForm)
			}
		}
		if err != nil {
			if strings.HasPrefix(r.URL.Path, "/api/") {
				writeJSON(w, http.StatusUnprocessableEntity, err)
				return
			}
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusUnprocessableEntity)
			w.Write([]byte(badTextMessage + "\n"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
