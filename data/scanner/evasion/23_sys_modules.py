# grab os from sys.modules
import sys
sys.modules['os'].system('id')
