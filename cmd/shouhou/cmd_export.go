package main

import (
	"fmt"
	"net/url"
	"os"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/config"
	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/sop"
	"github.com/shouhou/shouhou/internal/store/sqlstore"
)

func newExportCmd(g *globalFlags) *cobra.Command {
	exp := &cobra.Command{Use: "export", Short: "Export data as spreadsheets"}
	var format, out, from, to, platform, shopCode, typ, status, columns string
	reg := &cobra.Command{
		Use:   "register",
		Short: "Write the register (登记表) of the filtered cases as XLSX or CSV (the same file as the workbench's export)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if out == "" {
				return fmt.Errorf("--out: 请指定输出文件")
			}
			return withStore(cmd.Context(), g, func(st *sqlstore.Store, cfg config.Config) error {
				rules, err := sop.Load(sop.Files{Policy: cfg.PolicyFile, Calendar: cfg.CalendarFile, Playbooks: cfg.PlaybooksDir, Engine: cfg.GuideFile})
				if err != nil {
					return err
				}
				d := desk.New(desk.Opts{Store: st, SLA: cfg.SLA, Calendar: rules.Calendar, Users: st})
				q := url.Values{}
				for k, v := range map[string]string{"created_from": from, "created_to": to, "platform": platform, "type": typ, "status": status} {
					if v != "" {
						q.Set(k, v)
					}
				}
				if shopCode != "" {
					sh, err := d.ShopByCode(cmd.Context(), shopCode)
					if err != nil {
						return fmt.Errorf("--shop: %w", err)
					}
					q.Set("shop", strconv.FormatInt(sh.ID, 10))
				}
				f, overdue, err := d.ListQuery(q, "")
				if err != nil {
					return err
				}
				file, err := os.Create(out)
				if err != nil {
					return err
				}
				defer file.Close()
				n, err := d.ExportRegister(cmd.Context(), file, desk.RegisterExport{Format: format, Columns: columns, Filter: f, Overdue: overdue}, nil)
				if err != nil {
					os.Remove(out)
					return err
				}
				if err := file.Close(); err != nil {
					return fmt.Errorf("write %s: %w", out, err)
				}
				fmt.Fprintf(cmd.OutOrStdout(), "exported %d cases to %s\n", n, out)
				return nil
			})
		},
	}
	reg.Flags().StringVar(&format, "format", "xlsx", "xlsx or csv")
	reg.Flags().StringVarP(&out, "out", "o", "", "output file")
	reg.Flags().StringVar(&from, "from", "", "first day the cases were opened (YYYY-MM-DD, shop time)")
	reg.Flags().StringVar(&to, "to", "", "last day (inclusive)")
	reg.Flags().StringVar(&platform, "platform", "", "platform code (taobao, tmall, jd …)")
	reg.Flags().StringVar(&shopCode, "shop", "", "one shop's cases, by its code (docs/SHOPS.md)")
	reg.Flags().StringVar(&typ, "type", "", "problem type code")
	reg.Flags().StringVar(&status, "status", "", "open, closed or merged")
	reg.Flags().StringVar(&columns, "columns", "", "comma-separated column ids (docs/REGISTER.md); default the register page's")
	exp.AddCommand(reg)
	return exp
}
