package web

import "strconv"

func itoa(id int64) string { return strconv.FormatInt(id, 10) }

func caseURL(id int64) string { return "/cases/" + itoa(id) }
