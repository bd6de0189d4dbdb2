package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/shouhou/shouhou/internal/desk"
	"github.com/shouhou/shouhou/internal/register"
	"github.com/shouhou/shouhou/internal/store"
)

func newImportCmd(g *globalFlags) *cobra.Command {
	imp := &cobra.Command{Use: "import", Short: "Import data from spreadsheets"}
	var dryRun bool
	var mapping, as string
	reg := &cobra.Command{
		Use:   "register FILE",
		Short: "Open a case for each row of an existing register or order list (.xlsx or .csv); every bad row is listed and nothing is imported until the file is clean; running it again adds nothing",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			m, err := register.ParseMapping(mapping)
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			table, err := register.ReadTable(f, args[0])
			if err != nil {
				return err
			}
			cfg, err := loadConfig(g, "")
			if err != nil {
				return err
			}
			if err := requireInstallation(cfg, g.create); err != nil {
				return err
			}
			// The server's own desk: the same SLA, calendar, rules and dispatch as a
			// case opened on the workbench. The operator runs the import as an admin,
			// so the cases go to 待分配 (or to an agent by auto-dispatch), never to a
			// user named after --as.
			a, err := newApp(cmd.Context(), cfg)
			if err != nil {
				return err
			}
			defer a.close()
			rows, problems := register.Parse(table, m, a.clock.Now())
			res, err := a.desk.ImportRegister(cmd.Context(), desk.Actor{Name: as, Role: store.RoleAdmin}, rows, problems, dryRun)
			if err != nil {
				return err
			}
			if dryRun {
				fmt.Fprintf(cmd.OutOrStdout(), "检查通过:%d行,将新建%d个工单,%d个已存在(未导入,去掉 --dry-run 导入)\n", res.Rows, res.Created, res.Existing)
				return nil
			}
			fmt.Fprintf(cmd.OutOrStdout(), "已导入:%d行,新建%d个工单,%d个已存在\n", res.Rows, res.Created, res.Existing)
			return nil
		},
	}
	reg.Flags().BoolVar(&dryRun, "dry-run", false, "check every row and say what would be imported, import nothing")
	reg.Flags().StringVar(&mapping, "map", "", "column mapping for headers the importer does not know: 列名=field,… (fields: customer_name customer_phone customer_address platform order_no amount courier tracking_no sku batch type description demand emotion level)")
	reg.Flags().StringVar(&as, "as", "import", "who the opened cases are recorded as created by")
	imp.AddCommand(reg)
	return imp
}
